"""Benchmark: ticket reservations per second through one event-service process, over TCP.

    uv run python -m tests.bench.reservations [--tickets 2000] [--requests 3000] [--concurrency 64]

Starts a MongoDB-compatible server, user-service and event-service (one uvicorn process each),
creates one event and fires single-ticket reservations at it from this process, then prints the
throughput, latencies and the accounting check. Prints figures; asserts nothing about time.
"""

import argparse
import asyncio
import statistics
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from tests.harness.mongo import provide_mongo
from tests.harness.servers import run_uvicorn

ADMIN = {"email": "bench-admin@example.com", "password": "bench admin password"}


async def _token(users: httpx.AsyncClient, **form: str) -> str:
    if form:
        response = await users.post("/token", data=form)
    else:
        response = await users.post("/login", json=ADMIN)
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


async def run(events_url: str, users_url: str, args: argparse.Namespace) -> None:
    async with httpx.AsyncClient(base_url=users_url) as users:
        admin = await _token(users)
        service = await _token(
            users,
            grant_type="client_credentials",
            client_id="booking-service",
            client_secret="dev-booking-service-secret",
        )
    limits = httpx.Limits(max_connections=args.concurrency)
    async with httpx.AsyncClient(base_url=events_url, limits=limits, timeout=30) as events:
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
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data, provide_mongo() as mongo_url:
        common = {"ENV": "test", "LOG_LEVEL": "WARNING"}
        users_env = {
            **common,
            "USER_DATABASE_URL": f"sqlite:///{Path(data) / 'users.db'}",
            "JWT_DEV_KEY_FILE": str(Path(data) / "key.pem"),
            "ADMIN_EMAIL": ADMIN["email"],
            "ADMIN_PASSWORD": ADMIN["password"],
        }
        with run_uvicorn("user-service.app:app", env=users_env) as users_url:
            events_env = {
                **common,
                "MONGO_URL": mongo_url,
                "EVENT_MONGO_DB": "bench",
                "USER_SERVICE_URL": users_url,
            }
            with run_uvicorn("event-service.app:app", env=events_env) as events_url:
                asyncio.run(run(events_url, users_url, args))


if __name__ == "__main__":
    main()
