"""The floor under the latency targets: what code with no logic answers on this machine.

    uv run --frozen python -m tests.bench.floor

Runs the ceiling's skeleton (`skeleton.py`: per booking one PostgreSQL insert, three calls to
bare upstreams, one conditional decrement on the MongoDB-compatible store) at the rush's
concurrencies, and a bare `GET /healthz` (a constant answer, no store) at browse's concurrency,
from the benchmarks' own client. By Little's law a closed loop of N callers waits N / throughput
on average, so a latency target below these figures cannot be met by the real services either.
"""

import asyncio

import httpx

from tests.bench.ceiling import run_skeleton
from tests.bench.load import LoadResult, client, fire
from tests.bench.report import print_table

BOOKING_CONCURRENCIES = (50, 200)
BOOKINGS = 3000
BROWSE_CONCURRENCY = 100
READS = 20_000


def _row(what: str, concurrency: int, result: LoadResult) -> list[object]:
    return [
        what,
        concurrency,
        round(result.per_second, 1),
        result.latency_ms(50),
        result.latency_ms(99),
        sum(count for status, count in result.statuses.items() if status >= 400 or status == 0),
    ]


async def _measure(front_url: str, event_id: str) -> list[list[object]]:
    rows = []
    for concurrency in BOOKING_CONCURRENCIES:
        async with client(front_url, concurrency) as front:

            async def book(index: int, front: httpx.AsyncClient = front) -> httpx.Response:
                return await front.post("/bookings", json={"event_id": event_id, "tickets": 1})

            await fire(2 * concurrency, concurrency, book)  # warm the pools
            rows.append(
                _row(
                    "skeleton POST /bookings", concurrency, await fire(BOOKINGS, concurrency, book)
                )
            )
    async with client(front_url, BROWSE_CONCURRENCY) as front:

        async def read(index: int) -> httpx.Response:
            return await front.get("/healthz")

        await fire(2 * BROWSE_CONCURRENCY, BROWSE_CONCURRENCY, read)
        rows.append(
            _row(
                "bare GET /healthz", BROWSE_CONCURRENCY, await fire(READS, BROWSE_CONCURRENCY, read)
            )
        )
    return rows


def main() -> None:
    with run_skeleton(workers=1) as skeleton:
        rows = asyncio.run(_measure(skeleton.front, skeleton.event_id))
    print_table(
        "The floor: code with no logic, measured by the benchmarks' client",
        ["what", "concurrency", "per s", "p50 ms", "p99 ms", "errors"],
        rows,
    )


if __name__ == "__main__":
    main()
