"""A ticket rush over TCP: buyers booking one event at once, a few cancelling, until stopped.

Each buyer behaves as a well-made client: every booking carries an Idempotency-Key; when no
answer came (the connection failed or was cut), the same request is sent again with the same
key until it is answered; a 503 is a new attempt later (after a short pause, as `Retry-After`
asks). A test starts the rush, breaks something while it runs, waits for more attempts, mends
it and lets the rush go on, then stops it and checks the accounting.
"""

import asyncio
import random
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.utils.users import bearer

# A client's pause after a 503 or a failed connection, kept short so that the rush overlaps
# the outage with many attempts.
PAUSE_SECONDS = 0.2
# How long a buyer keeps sending an unanswered request again before giving it up.
UNANSWERED_GIVE_UP_SECONDS = 60.0
EXPECTED_BOOKING_ANSWERS = {201, 409, 503}


@dataclass(frozen=True)
class Buyer:
    email: str
    token: str


@dataclass
class RushOutcome:
    """What the buyers saw."""

    answers: Counter[int] = field(default_factory=Counter)
    no_answer: int = 0
    confirmed: dict[str, dict[str, Any]] = field(default_factory=dict)
    cancelled: set[str] = field(default_factory=set)
    unexpected: list[str] = field(default_factory=list)

    @property
    def attempts(self) -> int:
        return sum(self.answers.values()) + self.no_answer

    def describe(self) -> str:
        answers = ", ".join(f"{status}: {n}" for status, n in sorted(self.answers.items()))
        return (
            f"{self.attempts} attempts ({answers}; {self.no_answer} unanswered, sent again), "
            f"{len(self.confirmed)} bookings confirmed, {len(self.cancelled)} cancelled"
        )


class Rush:
    def __init__(
        self,
        *,
        bookings_url: str,
        event_id: str,
        buyers: list[Buyer],
        max_tickets: int = 3,
        cancel_share: float = 0.1,
        seed: int = 11,
    ) -> None:
        self.bookings_url = bookings_url
        self.event_id = event_id
        self.buyers = buyers
        self.max_tickets = max_tickets
        self.cancel_share = cancel_share
        self.rng = random.Random(seed)
        self.outcome = RushOutcome()
        self._stopping = asyncio.Event()

    async def until(self, *, attempts: int, within: float = 60.0) -> None:
        """Wait until the buyers have made `attempts` more attempts (answered or not)."""
        target = self.outcome.attempts + attempts
        deadline = time.monotonic() + within
        while self.outcome.attempts < target:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"the rush made {self.outcome.attempts} of {target} attempts in {within}s: "
                    f"{dict(self.outcome.answers)}, {self.outcome.no_answer} unanswered"
                )
            await asyncio.sleep(0.02)

    async def until_answered(self, status: int, *, count: int = 1, within: float = 60.0) -> None:
        """Wait until `count` more answers with `status` came back (the service works again)."""
        target = self.outcome.answers[status] + count
        deadline = time.monotonic() + within
        while self.outcome.answers[status] < target:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"no {count} more answers {status} within {within}s: "
                    f"{dict(self.outcome.answers)}, {self.outcome.no_answer} unanswered"
                )
            await asyncio.sleep(0.02)

    async def _send_until_answered(
        self, client: httpx.AsyncClient, method: str, url: str, **kwargs: Any
    ) -> httpx.Response | None:
        give_up = time.monotonic() + UNANSWERED_GIVE_UP_SECONDS
        while True:
            try:
                response = await client.request(method, url, **kwargs)
            except httpx.TransportError:
                self.outcome.no_answer += 1
                if time.monotonic() > give_up:
                    return None
                await asyncio.sleep(PAUSE_SECONDS)
                continue
            if response.status_code == 409 and "retry-after" in response.headers:
                # The first request with this key is still running: ask again.
                await asyncio.sleep(PAUSE_SECONDS)
                continue
            return response

    async def _book(self, client: httpx.AsyncClient, buyer: Buyer) -> None:
        headers = {**bearer(buyer.token), "Idempotency-Key": uuid.uuid4().hex}
        body = {"event_id": self.event_id, "tickets": self.rng.randint(1, self.max_tickets)}
        response = await self._send_until_answered(
            client, "POST", "/bookings", json=body, headers=headers
        )
        if response is None:
            return
        status = response.status_code
        self.outcome.answers[status] += 1
        if status not in EXPECTED_BOOKING_ANSWERS:
            self.outcome.unexpected.append(f"POST /bookings {status}: {response.text[:300]}")
        elif status == 503 and not response.headers.get("retry-after"):
            self.outcome.unexpected.append(f"503 without Retry-After: {response.text[:300]}")
        if status == 503:
            await asyncio.sleep(PAUSE_SECONDS)
        if status != 201:
            return
        booking: dict[str, Any] = response.json()
        self.outcome.confirmed[booking["id"]] = booking
        if self.rng.random() < self.cancel_share:
            await self._cancel(client, buyer, booking["id"])

    async def _cancel(self, client: httpx.AsyncClient, buyer: Buyer, booking_id: str) -> None:
        response = await self._send_until_answered(
            client, "POST", f"/bookings/{booking_id}/cancel", headers=bearer(buyer.token)
        )
        if response is None:
            return
        if response.status_code == 200:
            self.outcome.cancelled.add(booking_id)
        elif response.status_code != 503:
            self.outcome.unexpected.append(
                f"POST /bookings/{booking_id}/cancel {response.status_code}: {response.text[:300]}"
            )

    async def _buy_until_stopped(self, client: httpx.AsyncClient, buyer: Buyer) -> None:
        while not self._stopping.is_set():
            await self._book(client, buyer)

    @asynccontextmanager
    async def running(self) -> AsyncIterator["Rush"]:
        """The buyers book while the block runs; at its end they finish what they started
        (if the block fails, they are stopped at once)."""
        limits = httpx.Limits(max_connections=len(self.buyers))
        async with httpx.AsyncClient(
            base_url=self.bookings_url, timeout=30, limits=limits, trust_env=False
        ) as client:
            tasks = [
                asyncio.create_task(self._buy_until_stopped(client, buyer)) for buyer in self.buyers
            ]
            try:
                yield self
            except BaseException:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                raise
            self._stopping.set()
            await asyncio.gather(*tasks)
