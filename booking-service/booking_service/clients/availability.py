"""What event-service said lately about an event's tickets, so a hopeless booking is refused at
once: in a rush most requests come after the sell-out, and each would otherwise cost a booking
row, two calls and an update to learn what the last answer already said.

Only refusals come from here, never confirmations, and only for `ttl_seconds` after the answer
was asked for: a release (a cancellation here, in another replica, an organizer adding tickets)
is seen at once when it passes through this process, and otherwise within `ttl_seconds`.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from booking_service.clients.errors import TicketsUnavailableError

# Refusals that say the event cannot take any booking now, whatever its size.
CLOSED_REASONS = frozenset({"cancelled", "started"})
INSUFFICIENT = "insufficient"


@dataclass(frozen=True)
class _Sighting:
    asked_at: float
    available_tickets: int | None
    closed: TicketsUnavailableError | None = None


class RecentAvailability:
    """The newest answer of event-service per event, kept `ttl_seconds` (0: keep nothing)."""

    def __init__(
        self,
        *,
        ttl_seconds: float,
        max_events: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_events = max_events
        self.clock = clock
        self._events: dict[str, _Sighting] = {}

    def now(self) -> float:
        return self.clock()

    def saw_tickets(self, event_id: str, *, available_tickets: int, asked_at: float) -> None:
        """event-service answered, for a change asked at `asked_at`, with this many left."""
        self._keep(event_id, _Sighting(asked_at, available_tickets))

    def saw_refusal(self, event_id: str, error: TicketsUnavailableError, asked_at: float) -> None:
        if error.reason in CLOSED_REASONS:
            self._keep(event_id, _Sighting(asked_at, None, closed=error))
        elif error.reason == INSUFFICIENT and error.available_tickets is not None:
            self._keep(event_id, _Sighting(asked_at, error.available_tickets))

    def refusal(self, event_id: str, tickets: int) -> TicketsUnavailableError | None:
        """The refusal event-service would answer now for `tickets`, if it recently said so."""
        sighting = self._events.get(event_id)
        if sighting is None or self.clock() - sighting.asked_at > self.ttl_seconds:
            return None
        if sighting.closed is not None:
            return sighting.closed
        available = sighting.available_tickets
        if available is None or tickets <= available:
            return None
        return TicketsUnavailableError(
            f"Only {available} tickets are available; {tickets} were requested.",
            reason=INSUFFICIENT,
            available_tickets=available,
        )

    def _keep(self, event_id: str, sighting: _Sighting) -> None:
        if self.ttl_seconds <= 0:
            return
        current = self._events.get(event_id)
        if current is not None and current.asked_at > sighting.asked_at:
            return  # an answer to an older question says less about now
        if current is None and len(self._events) >= self.max_events:
            self._forget_expired()
        self._events[event_id] = sighting

    def _forget_expired(self) -> None:
        horizon = self.clock() - self.ttl_seconds
        self._events = {key: s for key, s in self._events.items() if s.asked_at >= horizon}
        if len(self._events) >= self.max_events:
            self._events.clear()
