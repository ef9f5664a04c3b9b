"""The whole platform as real processes over TCP, each of which a test can stop, kill and start
again: the four services under uvicorn, their own SecantusDB (durable, so it can be killed and
restarted on the same data) and their own SMTP sink (which can refuse mail for a while).

Background work is tuned to notice an outage's end within a second or two (outbox backoff,
email retries, booking recovery), so a test can wait for everything to settle.
"""

import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.harness.mongo import SecantusProcess, serve_secantus
from tests.harness.postgres import create_database, drop_database, unique_database_name
from tests.harness.servers import UvicornProcess, serve_uvicorn
from tests.harness.smtp import SmtpSink, run_smtp_sink

ADMIN = {"email": "live-admin@example.com", "password": "live admin password"}
COMMON = {
    "ENV": "test",
    "LOG_LEVEL": "WARNING",
    "PASSWORD_HASH_TIME_COST": "1",
    "PASSWORD_HASH_MEMORY_KIB": "1024",
}
EMAIL_LEASE_SECONDS = 12
# What each service does in the background, made quick to retry and to settle.
EVENTS = {"REPAIR_INTERVAL_SECONDS": "1"}
NOTIFICATIONS = {
    "EMAIL_POLL_SECONDS": "0.5",
    "EMAIL_RETRY_BASE_SECONDS": "0.5",
    "EMAIL_RETRY_MAX_SECONDS": "2",
    "EMAIL_MAX_ATTEMPTS": "100",
    "SMTP_TIMEOUT_SECONDS": "5",
    # A claimed email a worker never recorded is sent again after this: short, so that a test
    # can wait for a second sending that must not happen.
    "EMAIL_LEASE_SECONDS": str(EMAIL_LEASE_SECONDS),
}
BOOKINGS = {
    "OUTBOX_POLL_SECONDS": "0.5",
    "OUTBOX_BACKOFF_SECONDS": "0.2",
    "OUTBOX_BACKOFF_MAX_SECONDS": "1",
    "OUTBOX_MAX_ATTEMPTS": "200",
    "RECOVERY_INTERVAL_SECONDS": "1",
    "RECOVERY_GRACE_SECONDS": "3",
    "OUTBOX_LEASE_SECONDS": "3",
}


@dataclass(frozen=True)
class LivePlatform:
    users: UvicornProcess
    events: UvicornProcess
    bookings: UvicornProcess
    notifications: UvicornProcess
    mongo: SecantusProcess
    sink: SmtpSink
    booking_database_url: str
    events_database: str
    notifications_database: str


@contextmanager
def _database(admin_url: str, prefix: str) -> Iterator[str]:
    name = unique_database_name(prefix)
    url = create_database(admin_url, name)
    try:
        yield url
    finally:
        drop_database(admin_url, name)


@contextmanager
def run_live_platform(postgres_admin_url: str, data: Path) -> Iterator[LivePlatform]:
    """Start everything (fresh PostgreSQL databases, the services' own MongoDB and SMTP sink);
    stop everything and drop the databases when the block ends, however it ends."""
    with ExitStack() as stack:
        mongo = stack.enter_context(serve_secantus(durable=True))
        sink = stack.enter_context(run_smtp_sink(directory=data / "mail"))
        mongo_db = f"live_{uuid.uuid4().hex[:8]}"
        users = stack.enter_context(
            serve_uvicorn(
                "user-service.app:app",
                env={
                    **COMMON,
                    "USER_DATABASE_URL": stack.enter_context(_database(postgres_admin_url, "lu")),
                    "JWT_DEV_KEY_FILE": str(data / "key.pem"),
                    "ADMIN_EMAIL": ADMIN["email"],
                    "ADMIN_PASSWORD": ADMIN["password"],
                    "ACCESS_TOKEN_MINUTES": "60",
                },
            )
        )
        # Journaled writes: MongoDB killed mid-rush must not lose what it acknowledged.
        shared = {
            **COMMON,
            "USER_SERVICE_URL": users.url,
            "MONGO_URL": mongo.url,
            "MONGO_JOURNAL": "true",
        }
        events = stack.enter_context(
            serve_uvicorn(
                "event-service.app:app",
                env={**shared, **EVENTS, "EVENT_MONGO_DB": f"{mongo_db}_events"},
            )
        )
        notifications = stack.enter_context(
            serve_uvicorn(
                "notification-service.app:app",
                env={
                    **shared,
                    **NOTIFICATIONS,
                    "NOTIFICATION_MONGO_DB": f"{mongo_db}_notifications",
                    "SMTP_HOST": sink.host,
                    "SMTP_PORT": str(sink.port),
                },
            )
        )
        booking_database_url = stack.enter_context(_database(postgres_admin_url, "lb"))
        bookings = stack.enter_context(
            serve_uvicorn(
                "booking-service.app:app",
                env={
                    **COMMON,
                    **BOOKINGS,
                    "USER_SERVICE_URL": users.url,
                    "EVENT_SERVICE_URL": events.url,
                    "NOTIFICATION_SERVICE_URL": notifications.url,
                    "BOOKING_DATABASE_URL": booking_database_url,
                },
            )
        )
        yield LivePlatform(
            users=users,
            events=events,
            bookings=bookings,
            notifications=notifications,
            mongo=mongo,
            sink=sink,
            booking_database_url=booking_database_url,
            events_database=f"{mongo_db}_events",
            notifications_database=f"{mongo_db}_notifications",
        )
