"""Recent answers of `GET /events`, so a crowd asking the same page costs the store one query.

An answer is reused for `ttl_seconds` at most, counted from when its query began; any change
made through this process (an event created, edited or cancelled, tickets reserved or released)
forgets every answer at once, so its effect shows in the next listing. Changes made through
another process or replica show within `ttl_seconds`. Identical listings asked at once share one
query.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from event_service.models import Document
from event_service.schemas import EventQuery

Listing = tuple[list[Document], int]


@dataclass(frozen=True)
class _Answer:
    asked_at: float
    listing: "asyncio.Future[Listing]"


class RecentListings:
    def __init__(
        self,
        *,
        ttl_seconds: float,
        max_entries: int = 1000,
        clock: Callable[[], float] = time.monotonic,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self.clock = clock
        self.on_change = on_change
        self._answers: dict[str, _Answer] = {}

    def forget(self) -> None:
        """Something changed: no answer from before may be reused."""
        self._answers.clear()
        if self.on_change is not None:
            self.on_change()

    async def get(self, query: EventQuery, load: Callable[[], Awaitable[Listing]]) -> Listing:
        if self.ttl_seconds <= 0:
            return await load()
        key = query.model_dump_json()
        now = self.clock()
        answer = self._answers.get(key)
        if answer is None or now - answer.asked_at > self.ttl_seconds:
            answer = _Answer(now, asyncio.ensure_future(load()))
            if len(self._answers) >= self.max_entries:
                self._answers.clear()
            self._answers[key] = answer
            answer.listing.add_done_callback(lambda done: self._drop_failed(key, answer, done))
        documents, total = await asyncio.shield(answer.listing)
        return list(documents), total

    def _drop_failed(self, key: str, answer: _Answer, done: "asyncio.Future[Listing]") -> None:
        if (done.cancelled() or done.exception() is not None) and self._answers.get(key) is answer:
            del self._answers[key]
