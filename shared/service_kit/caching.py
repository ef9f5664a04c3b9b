"""Answers of another service kept for a few seconds, in a process, bounded in size."""

import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class RecentAnswers(Generic[K, V]):
    """Up to `max_entries` values, each usable for `ttl_seconds` after it was put (0: none kept).

    When full, the entry put longest ago makes room.
    """

    def __init__(
        self,
        *,
        ttl_seconds: float,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self.clock = clock
        self._entries: dict[K, tuple[float, V]] = {}

    def get(self, key: K) -> V | None:
        """The value put for `key` less than `ttl_seconds` ago, else None."""
        entry = self._entries.get(key)
        if entry is None or self.clock() - entry[0] >= self.ttl_seconds:
            return None
        return entry[1]

    def put(self, key: K, value: V) -> None:
        if self.ttl_seconds <= 0:
            return
        self._entries.pop(key, None)
        if len(self._entries) >= self.max_entries:
            self._entries.pop(next(iter(self._entries)))  # the oldest
        self._entries[key] = (self.clock(), value)
