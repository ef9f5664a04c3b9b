"""Admission: at most so many bookings placed at once in a process; the rest wait their turn.

In a rush, hundreds of bookings arrive in the same second. Placed all at once, they share the
process's CPU and the peers' connections, so each one's dependency budget runs out while it
waits for its turn, and the bookings fail with 503 (an outcome unknown holds tickets until
recovery). Waiting in line before anything is written costs nothing and keeps the budget for
the work itself: a booking only starts its clock once admitted. One that waits in vain is
refused with 503 and `Retry-After`, having recorded nothing and held nothing.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from service_kit.errors import ServiceUnavailableError


class Admission:
    """At most `limit` bookings at once, the others admitted in arrival order, each waiting at
    most `wait_seconds`."""

    def __init__(self, *, limit: int, wait_seconds: float) -> None:
        self.wait_seconds = wait_seconds
        self._slots = asyncio.Semaphore(limit)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        try:
            async with asyncio.timeout(self.wait_seconds):
                await self._slots.acquire()
        except TimeoutError:
            raise ServiceUnavailableError(
                "Too many bookings are being placed at this moment; nothing was recorded for "
                "this one. Retry shortly.",
                headers={"Retry-After": "1"},
                reason="busy",
            ) from None
        try:
            yield
        finally:
            self._slots.release()
