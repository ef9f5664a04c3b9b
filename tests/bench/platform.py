"""Start the platform's services as real uvicorn processes, for benchmarks."""

import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
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
