"""Benchmark: ticket reservations per second through one event-service process, over TCP.

    uv run python -m tests.bench.reservations [--tickets 2000] [--requests 3000] [--concurrency 64]

Starts a MongoDB-compatible server, user-service and event-service (one uvicorn process each),
creates one event and fires single-ticket reservations at it from this process, then prints the
throughput, latencies and the accounting check. Prints figures; asserts nothing about time.
"""

import argparse
import asyncio
import statistics
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import httpx

from tests.bench.platform import Platform, admin_token, run_platform, service_token


async def run(platform: Platform, args: argparse.Namespace) -> None:
    async with httpx.AsyncClient(base_url=platform.users) as users:
        admin = await admin_token(users)
        service = await service_token(users)
    limits = httpx.Limits(max_connections=args.concurrency)
    async with httpx.AsyncClient(base_url=platform.events, limits=limits, timeout=30) as events:
        created = await events.post(
            "/events",
            headers={"Authorization": f"Bearer {admin}"},
            json={
                "title": "Benchmark",
                "venue": "Loopback",
                "total_tickets": args.tickets,
                "starts_at": (datetime.now(UTC) + timedelta(days=1)).isoformat(),
            },
        )
        created.raise_for_status()
        event_id = created.json()["id"]
        headers = {"Authorization": f"Bearer {service}"}
        gate = asyncio.Semaphore(args.concurrency)
        latencies: list[float] = []

        async def reserve(index: int) -> int:
            async with gate:
                started = time.perf_counter()
                response = await events.put(
                    f"/events/{event_id}/update_tickets",
                    json={"delta": -1, "reference": f"bench-{index}"},
                    headers=headers,
                )
                latencies.append(time.perf_counter() - started)
                return response.status_code

        started = time.perf_counter()
        statuses = Counter(await asyncio.gather(*(reserve(i) for i in range(args.requests))))
        elapsed = time.perf_counter() - started
        final = (await events.get(f"/events/{event_id}")).json()

    sold = final["total_tickets"] - final["available_tickets"]
    quantiles = statistics.quantiles(latencies, n=100)
    print(f"requests            {args.requests} at concurrency {args.concurrency}")
    print(f"statuses            {dict(statuses)}")
    print(f"elapsed             {elapsed:.2f} s")
    print(f"requests/second     {args.requests / elapsed:.0f}")
    print(f"reservations/second {statuses[200] / elapsed:.0f} (tickets sold per second)")
    print(f"latency p50/p99     {quantiles[49] * 1000:.1f} / {quantiles[98] * 1000:.1f} ms")
    print(
        f"sold {sold} of {final['total_tickets']}; oversold: {max(0, sold - args.tickets)}; "
        f"accepted == sold: {statuses[200] == sold}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--tickets", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    with run_platform(with_bookings=False) as platform:
        asyncio.run(run(platform, args))


if __name__ == "__main__":
    main()
