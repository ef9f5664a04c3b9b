"""The whole platform as real processes, for benchmarks.

Fresh PostgreSQL databases (users, bookings), a MongoDB-compatible server, the SMTP sink, and
the four services as uvicorn processes (`workers` each) with their shipped settings, apart from
quiet logs, cheap password hashing and tokens that outlive a run.
"""

import tempfile
import uuid
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
from tests.harness.smtp import SmtpSink, run_smtp_sink

ADMIN = {"email": "bench-admin@example.com", "password": "bench admin password"}
COMMON = {
    "ENV": "test",
    "LOG_LEVEL": "WARNING",
    "PASSWORD_HASH_TIME_COST": "1",
    "PASSWORD_HASH_MEMORY_KIB": "1024",
}
BUYER_PASSWORD = "bench buyer password"


@dataclass(frozen=True)
class Platform:
    users: str
    events: str
    bookings: str
    notifications: str
    mongo_url: str
    events_db: str
    notifications_db: str
    bookings_database: str
    sink: SmtpSink
    workers: int


@contextmanager
def postgres_database(stack: ExitStack, prefix: str) -> Iterator[str]:
    """A fresh database on the harness's PostgreSQL, dropped afterwards; yields its URL."""
    admin_url = stack.enter_context(provide_postgres())
    name = unique_database_name(prefix)
    try:
        yield create_database(admin_url, name)
    finally:
        drop_database(admin_url, name)


@contextmanager
def run_platform(*, workers: int = 1, mongo_url: str | None = None) -> Iterator[Platform]:
    """Start everything (on `mongo_url`, else a server of the harness's own); stop it after."""
    with ExitStack() as stack:
        data = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-")))
        mongo_url = mongo_url or stack.enter_context(provide_mongo())
        sink = stack.enter_context(run_smtp_sink(directory=data / "mail"))
        mongo_db = f"bench_{uuid.uuid4().hex[:8]}"

        def serve(app: str, env: dict[str, str]) -> str:
            url: str = stack.enter_context(run_uvicorn(app, env={**COMMON, **env}, workers=workers))
            return url

        users = serve(
            "user-service.app:app",
            {
                "USER_DATABASE_URL": stack.enter_context(postgres_database(stack, "bench_u")),
                "JWT_DEV_KEY_FILE": str(data / "key.pem"),
                "ADMIN_EMAIL": ADMIN["email"],
                "ADMIN_PASSWORD": ADMIN["password"],
                "ACCESS_TOKEN_MINUTES": "120",
            },
        )
        stores = {"USER_SERVICE_URL": users, "MONGO_URL": mongo_url}
        events = serve("event-service.app:app", {**stores, "EVENT_MONGO_DB": f"{mongo_db}_events"})
        notifications = serve(
            "notification-service.app:app",
            {
                **stores,
                "NOTIFICATION_MONGO_DB": f"{mongo_db}_notifications",
                "SMTP_HOST": sink.host,
                "SMTP_PORT": str(sink.port),
            },
        )
        bookings_database = stack.enter_context(postgres_database(stack, "bench_b"))
        bookings = serve(
            "booking-service.app:app",
            {
                "USER_SERVICE_URL": users,
                "EVENT_SERVICE_URL": events,
                "NOTIFICATION_SERVICE_URL": notifications,
                "BOOKING_DATABASE_URL": bookings_database,
            },
        )
        yield Platform(
            users=users,
            events=events,
            bookings=bookings,
            notifications=notifications,
            mongo_url=mongo_url,
            events_db=f"{mongo_db}_events",
            notifications_db=f"{mongo_db}_notifications",
            bookings_database=bookings_database,
            sink=sink,
            workers=workers,
        )


async def login(users: httpx.AsyncClient, email: str, password: str) -> str:
    response = await users.post("/login", json={"email": email, "password": password})
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


async def admin_token(users: httpx.AsyncClient) -> str:
    return await login(users, ADMIN["email"], ADMIN["password"])


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
