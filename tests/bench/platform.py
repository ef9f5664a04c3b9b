"""Start the platform's services as real uvicorn processes, for benchmarks."""

import argparse
import asyncio
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from tests.harness.mongo import provide_mongo
from tests.harness.postgres import (
    create_database,
    drop_database,
    provide_postgres,
    unique_database_name,
)
from tests.harness.servers import run_uvicorn

ADMIN = {"email": "bench-admin@example.com", "password": "bench admin password"}
COMMON = {
    "ENV": "test",
    "LOG_LEVEL": "WARNING",
    "PASSWORD_HASH_TIME_COST": "1",
    "PASSWORD_HASH_MEMORY_KIB": "1024",
}


@dataclass
class Platform:
    users: str
    events: str
    bookings: str | None = None


@contextmanager
def _postgres_database(stack: ExitStack, prefix: str) -> Iterator[str]:
    admin_url = stack.enter_context(provide_postgres())
    name = unique_database_name(prefix)
    try:
        yield create_database(admin_url, name)
    finally:
        drop_database(admin_url, name)


@contextmanager
def run_platform(*, with_bookings: bool) -> Iterator[Platform]:
    with ExitStack() as stack:
        data = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        mongo_url = stack.enter_context(provide_mongo())
        users_env = {
            **COMMON,
            "USER_DATABASE_URL": f"sqlite:///{data / 'users.db'}",
            "JWT_DEV_KEY_FILE": str(data / "key.pem"),
            "ADMIN_EMAIL": ADMIN["email"],
            "ADMIN_PASSWORD": ADMIN["password"],
        }
        if with_bookings:
            users_env["USER_DATABASE_URL"] = stack.enter_context(_postgres_database(stack, "bu"))
        users = stack.enter_context(run_uvicorn("user-service.app:app", env=users_env))
        events = stack.enter_context(
            run_uvicorn(
                "event-service.app:app",
                env={
                    **COMMON,
                    "MONGO_URL": mongo_url,
                    "EVENT_MONGO_DB": "bench",
                    "USER_SERVICE_URL": users,
                },
            )
        )
        platform = Platform(users=users, events=events)
        if with_bookings:
            platform.bookings = stack.enter_context(
                run_uvicorn(
                    "booking-service.app:app",
                    env={
                        **COMMON,
                        "USER_SERVICE_URL": users,
                        "EVENT_SERVICE_URL": events,
                        "BOOKING_DATABASE_URL": stack.enter_context(
                            _postgres_database(stack, "bb")
                        ),
                    },
                )
            )
        yield platform


async def admin_token(users: httpx.AsyncClient) -> str:
    response = await users.post("/login", json=ADMIN)
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


async def service_token(users: httpx.AsyncClient) -> str:
    response = await users.post(
        "/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "booking-service",
            "client_secret": "dev-booking-service-secret",
        },
    )
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


@dataclass
class LoadResult:
    statuses: Counter[int]
    elapsed: float
    latencies: list[float]


async def fire(
    requests: int, concurrency: int, send: Callable[[int], Awaitable[httpx.Response]]
) -> LoadResult:
    """Send `requests` calls, at most `concurrency` at once, timing each."""
    gate = asyncio.Semaphore(concurrency)
    latencies: list[float] = []

    async def one(index: int) -> int:
        async with gate:
            started = time.perf_counter()
            response = await send(index)
            latencies.append(time.perf_counter() - started)
            return response.status_code

    started = time.perf_counter()
    statuses = Counter(await asyncio.gather(*(one(index) for index in range(requests))))
    return LoadResult(statuses, time.perf_counter() - started, latencies)


async def create_bench_event(events: httpx.AsyncClient, admin: str, tickets: int) -> str:
    created = await events.post(
        "/events",
        headers={"Authorization": f"Bearer {admin}"},
        json={
            "title": "Benchmark",
            "venue": "Loopback",
            "total_tickets": tickets,
            "starts_at": (datetime.now(UTC) + timedelta(days=1)).isoformat(),
        },
    )
    created.raise_for_status()
    event_id: str = created.json()["id"]
    return event_id


def report(
    result: LoadResult,
    *,
    args: argparse.Namespace,
    success: int,
    noun: str,
    event: dict[str, int],
) -> None:
    sold = event["total_tickets"] - event["available_tickets"]
    accepted = result.statuses[success]
    quantiles = statistics.quantiles(result.latencies, n=100)
    print(f"requests          {args.requests} at concurrency {args.concurrency}")
    print(f"statuses          {dict(result.statuses)}")
    print(f"elapsed           {result.elapsed:.2f} s")
    print(f"requests/second   {args.requests / result.elapsed:.0f}")
    print(
        f"{noun + '/second':<17} {accepted / result.elapsed:.0f} "
        f"({accepted / result.elapsed * 60:.0f} tickets/minute)"
    )
    print(f"latency p50/p99   {quantiles[49] * 1000:.1f} / {quantiles[98] * 1000:.1f} ms")
    print(
        f"sold {sold} of {event['total_tickets']}; {noun} {accepted}; "
        f"oversold: {max(0, sold - args.tickets)}; sold == {noun}: {sold == accepted}"
    )


def bench_arguments(
    doc: str | None, *, tickets: int, requests: int, concurrency: int
) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(doc or "").split("\n")[0])
    parser.add_argument("--tickets", type=int, default=tickets)
    parser.add_argument("--requests", type=int, default=requests)
    parser.add_argument("--concurrency", type=int, default=concurrency)
    return parser.parse_args()
