"""Benchmark: bookings per second through the real saga, over TCP.

    uv run python -m tests.bench.bookings [--tickets 1000] [--requests 1500] [--concurrency 32]

Starts PostgreSQL databases, a MongoDB-compatible server, user-, event- and booking-service (one
uvicorn process each), then books one ticket at a time from many users. Prints figures and the
accounting check (tickets sold == confirmed bookings); asserts nothing about time.
"""

import argparse
import asyncio
import statistics
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import httpx

from tests.bench.platform import Platform, admin_token, run_platform

USERS = 50


async def _user_tokens(users: httpx.AsyncClient) -> list[str]:
    tokens = []
    for index in range(USERS):
        email = f"bench-{index}-{time.time_ns()}@example.com"
        body = {"email": email, "password": "bench password", "full_name": "Bench"}
        (await users.post("/register", json=body)).raise_for_status()
        login = await users.post("/login", json={"email": email, "password": "bench password"})
        tokens.append(login.json()["access_token"])
    return tokens


async def run(platform: Platform, args: argparse.Namespace) -> None:
    assert platform.bookings is not None
    async with httpx.AsyncClient(base_url=platform.users) as users:
        admin = await admin_token(users)
        tokens = await _user_tokens(users)
    async with httpx.AsyncClient(base_url=platform.events) as events:
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
    limits = httpx.Limits(max_connections=args.concurrency)
    gate = asyncio.Semaphore(args.concurrency)
    latencies: list[float] = []
    async with httpx.AsyncClient(base_url=platform.bookings, limits=limits, timeout=60) as bookings:

        async def one(index: int) -> int:
            async with gate:
                started = time.perf_counter()
                response = await bookings.post(
                    "/bookings",
                    json={"event_id": event_id, "tickets": 1},
                    headers={"Authorization": f"Bearer {tokens[index % USERS]}"},
                )
                latencies.append(time.perf_counter() - started)
                return response.status_code

        started = time.perf_counter()
        statuses = Counter(await asyncio.gather(*(one(i) for i in range(args.requests))))
        elapsed = time.perf_counter() - started
    async with httpx.AsyncClient(base_url=platform.events) as events:
        final = (await events.get(f"/events/{event_id}")).json()
    sold = final["total_tickets"] - final["available_tickets"]
    quantiles = statistics.quantiles(latencies, n=100)
    print(f"requests            {args.requests} at concurrency {args.concurrency}")
    print(f"statuses            {dict(statuses)}")
    print(f"elapsed             {elapsed:.2f} s")
    print(f"requests/second     {args.requests / elapsed:.0f}")
    print(
        f"bookings/second     {statuses[201] / elapsed:.0f} confirmed "
        f"({statuses[201] / elapsed * 60:.0f} tickets/minute)"
    )
    print(f"latency p50/p99     {quantiles[49] * 1000:.1f} / {quantiles[98] * 1000:.1f} ms")
    print(
        f"sold {sold} of {final['total_tickets']}; confirmed {statuses[201]}; "
        f"oversold: {max(0, sold - args.tickets)}; sold == confirmed: {sold == statuses[201]}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--tickets", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    with run_platform(with_bookings=True) as platform:
        asyncio.run(run(platform, args))


if __name__ == "__main__":
    main()
