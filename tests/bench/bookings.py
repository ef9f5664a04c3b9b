"""Benchmark: bookings per second through the real saga, over TCP.

    uv run python -m tests.bench.bookings [--tickets 1000] [--requests 1500] [--concurrency 32]

Starts PostgreSQL databases, a MongoDB-compatible server, user-, event- and booking-service (one
uvicorn process each), then books one ticket at a time from many users. Prints figures and the
accounting check (tickets sold == confirmed bookings); asserts nothing about time.
"""

import argparse
import asyncio
import time

import httpx

from tests.bench.platform import (
    Platform,
    admin_token,
    bench_arguments,
    create_bench_event,
    fire,
    report,
    run_platform,
)

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
        event_id = await create_bench_event(events, admin, args.tickets)
    limits = httpx.Limits(max_connections=args.concurrency)
    async with httpx.AsyncClient(base_url=platform.bookings, limits=limits, timeout=60) as bookings:

        async def book(index: int) -> httpx.Response:
            return await bookings.post(
                "/bookings",
                json={"event_id": event_id, "tickets": 1},
                headers={"Authorization": f"Bearer {tokens[index % USERS]}"},
            )

        result = await fire(args.requests, args.concurrency, book)
    async with httpx.AsyncClient(base_url=platform.events) as events:
        final = (await events.get(f"/events/{event_id}")).json()
    report(result, args=args, success=201, noun="bookings", event=final)


def main() -> None:
    args = bench_arguments(__doc__, tickets=1000, requests=1500, concurrency=32)
    with run_platform(with_bookings=True) as platform:
        asyncio.run(run(platform, args))


if __name__ == "__main__":
    main()
