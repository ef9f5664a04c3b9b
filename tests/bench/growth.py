"""growth: how the cost of booking, listing events and listing bookings grows with the work.

Each figure is measured at a few sizes of its work; a p99 that grows faster than the work does
points at a missing index or a query that reads everything.
"""

import base64
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from tests.bench.checks import Expected
from tests.bench.load import Buyer, LoadResult, client, create_event, fire, run_for
from tests.bench.platform import Platform
from tests.bench.seed import WORDS, seed_bookings, seed_events


@dataclass(frozen=True)
class GrowthSize:
    buyer_levels: tuple[int, ...] = (10, 50, 200)
    attempts_per_buyer: int = 10
    event_levels: tuple[int, ...] = (100, 10_000, 100_000)
    booking_levels: tuple[int, ...] = (1_000, 100_000)
    read_seconds: float = 10
    read_concurrency: int = 10


FULL = GrowthSize()
QUICK = GrowthSize(
    buyer_levels=(2, 10),
    attempts_per_buyer=3,
    event_levels=(100, 1_000),
    booking_levels=(100, 2_000),
    read_seconds=2,
    read_concurrency=4,
)


@dataclass
class Row:
    figure: str
    work: int
    unit: str
    result: LoadResult

    def cells(self) -> list[Any]:
        r = self.result
        return [
            self.figure,
            f"{self.work:,} {self.unit}",
            dict(r.statuses),
            round(r.per_second, 1),
            r.latency_ms(50),
            r.latency_ms(99),
        ]


def user_id_of(token: str) -> uuid.UUID:
    """The `sub` of our own access token (read, not verified: the services verify it)."""
    payload = token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return uuid.UUID(claims["sub"])


async def booking_growth(
    platform: Platform, buyers: list[Buyer], admin: str, size: GrowthSize, expected: Expected
) -> list[Row]:
    rows = []
    for level in size.buyer_levels:
        async with client(platform.events, 1) as events:
            event_id = await create_event(events, admin, 1_000_000, f"Growth {level}")
        async with client(platform.bookings, level) as bookings:

            async def book(index: int, level: int = level, event_id: str = event_id) -> Any:
                return await bookings.post(
                    "/bookings",
                    json={"event_id": event_id, "tickets": 1},
                    headers=buyers[index % level].auth,
                )

            result = await fire(
                level * size.attempts_per_buyer,
                level,
                book,
                keep_body=lambda r: r.status_code == 201,
            )
        for call in result.calls:
            if call.status == 201:
                expected.confirmed(call.body["id"], call.finished_at)
        rows.append(Row("POST /bookings", level, "buyers", result))
    return rows


async def _reads(base_url: str, size: GrowthSize, path: str, **request: Any) -> LoadResult:
    """Read `path` for `size.read_seconds`; `params` may be a function of a counter."""
    counter = iter(range(1 << 30))
    async with client(base_url, size.read_concurrency) as reader:

        async def read() -> tuple[str, httpx.Response]:
            params = request.get("params")
            response = await reader.get(
                path,
                params=params(next(counter)) if callable(params) else params,
                headers=request.get("headers"),
            )
            return "read", response

        results = await run_for(size.read_seconds, size.read_concurrency, read)
    return results.get("read") or results["error"]


async def events_growth(platform: Platform, size: GrowthSize) -> list[Row]:
    rows, seeded = [], 0
    for level in size.event_levels:
        seed_events(platform, level - seeded)
        seeded = level
        listing = await _reads(platform.events, size, "/events")
        rows.append(Row("GET /events", level, "events", listing))
        search = await _reads(
            platform.events, size, "/events", params=lambda i: {"q": WORDS[i % len(WORDS)]}
        )
        rows.append(Row("GET /events?q=", level, "events", search))
        deep = await _reads(platform.events, size, "/events", params={"offset": level // 2})
        rows.append(Row("GET /events?offset=n/2", level, "events", deep))
    return rows


async def bookings_growth(
    platform: Platform, buyer: Buyer, admin: str, size: GrowthSize
) -> list[Row]:
    seed_bookings(platform, 10, user_id=user_id_of(buyer.token))
    rows, seeded = [], 0
    for level in size.booking_levels:
        seed_bookings(platform, level - seeded)
        seeded = level
        mine = await _reads(platform.bookings, size, "/bookings", headers=buyer.auth)
        rows.append(Row("GET /bookings (user, 10 own)", level, "bookings", mine))
        everyone = await _reads(
            platform.bookings, size, "/bookings", headers={"Authorization": f"Bearer {admin}"}
        )
        rows.append(Row("GET /bookings (admin)", level, "bookings", everyone))
    return rows


async def run_growth(
    platform: Platform, buyers: list[Buyer], admin: str, size: GrowthSize
) -> tuple[list[Row], Expected]:
    expected = Expected()
    started = time.perf_counter()
    rows = await booking_growth(platform, buyers, admin, size, expected)
    rows += await events_growth(platform, size)
    rows += await bookings_growth(platform, buyers[-1], admin, size)
    print(f"growth measured in {time.perf_counter() - started:.0f} s")
    return rows, expected
