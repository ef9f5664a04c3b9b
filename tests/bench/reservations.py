"""Benchmark: ticket reservations per second through one event-service process, over TCP.

    uv run python -m tests.bench.reservations [--tickets 2000] [--requests 3000] [--concurrency 64]

Starts a MongoDB-compatible server, user-service and event-service (one uvicorn process each),
creates one event and fires single-ticket reservations at it from this process, then prints the
throughput, latencies and the accounting check. Prints figures; asserts nothing about time.
"""

import argparse
import asyncio

import httpx

from tests.bench.platform import (
    Platform,
    admin_token,
    bench_arguments,
    create_bench_event,
    fire,
    report,
    run_platform,
    service_token,
)


async def run(platform: Platform, args: argparse.Namespace) -> None:
    async with httpx.AsyncClient(base_url=platform.users) as users:
        admin = await admin_token(users)
        headers = {"Authorization": f"Bearer {await service_token(users)}"}
    limits = httpx.Limits(max_connections=args.concurrency)
    async with httpx.AsyncClient(base_url=platform.events, limits=limits, timeout=30) as events:
        event_id = await create_bench_event(events, admin, args.tickets)

        async def reserve(index: int) -> httpx.Response:
            return await events.put(
                f"/events/{event_id}/update_tickets",
                headers=headers,
                json={"delta": -1, "reference": f"bench-{index}"},
            )

        result = await fire(args.requests, args.concurrency, reserve)
        final = (await events.get(f"/events/{event_id}")).json()
    report(result, args=args, success=200, noun="reservations", event=final)


def main() -> None:
    args = bench_arguments(__doc__, tickets=2000, requests=3000, concurrency=64)
    with run_platform(with_bookings=False) as platform:
        asyncio.run(run(platform, args))


if __name__ == "__main__":
    main()
