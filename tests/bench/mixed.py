"""mixed: readers, buyers and cancellations together over a catalogue of events, for a time."""

import random
import time
from dataclasses import dataclass
from typing import Any

import httpx

from tests.bench import cpu
from tests.bench.browse import browse_request
from tests.bench.checks import Expected
from tests.bench.load import Buyer, LoadResult, client, register_buyers, run_for
from tests.bench.platform import Platform
from tests.bench.seed import seed_events


@dataclass(frozen=True)
class MixedSize:
    events: int = 100
    tickets: int = 50
    buyers: int = 50
    concurrency: int = 50
    seconds: float = 60
    book_share: float = 0.15
    cancel_share: float = 0.05


FULL = MixedSize()
QUICK = MixedSize(events=20, tickets=10, buyers=10, concurrency=10, seconds=8)


@dataclass
class MixedOutcome:
    results: dict[str, LoadResult]
    expected: Expected
    cores: dict[str, float]


async def run_mixed(platform: Platform, size: MixedSize, *, seed: int = 13) -> MixedOutcome:
    event_ids = seed_events(platform, size.events, tickets=size.tickets)
    async with client(platform.users, 8) as users:
        buyers = await register_buyers(users, size.buyers)
    draw = random.Random(seed)
    expected = Expected()
    held: list[tuple[str, Buyer]] = []
    async with (
        client(platform.events, size.concurrency) as events,
        client(platform.bookings, size.concurrency) as bookings,
    ):

        async def book() -> tuple[str, httpx.Response]:
            buyer = draw.choice(buyers)
            response = await bookings.post(
                "/bookings",
                json={"event_id": draw.choice(event_ids), "tickets": draw.randint(1, 2)},
                headers=buyer.auth,
            )
            if response.status_code == 201:
                held.append((response.json()["id"], buyer))
                expected.confirmed(response.json()["id"], time.time())
            return "book", response

        async def cancel() -> tuple[str, httpx.Response]:
            booking_id, buyer = held.pop(draw.randrange(len(held)))
            response = await bookings.post(f"/bookings/{booking_id}/cancel", headers=buyer.auth)
            if response.status_code == 200:
                expected.cancelled(booking_id, time.time())
            return "cancel", response

        async def act() -> tuple[str, httpx.Response]:
            roll = draw.random()
            if roll < size.book_share:
                return await book()
            if roll < size.book_share + size.cancel_share and held:
                return await cancel()
            _kind, path, query = browse_request(draw, event_ids)
            return "browse", await events.get(path, params=query)

        before, started = cpu.snapshot(), time.perf_counter()
        results = await run_for(size.seconds, size.concurrency, act)
        cores = cpu.share(before, cpu.snapshot(), time.perf_counter() - started)
    return MixedOutcome(results, expected, cores)


def mixed_rows(results: dict[str, LoadResult]) -> list[list[Any]]:
    return [
        [
            name,
            len(r.calls),
            dict(r.statuses),
            round(r.per_second, 1),
            r.latency_ms(50),
            r.latency_ms(99),
        ]
        for name, r in sorted(results.items())
    ]
