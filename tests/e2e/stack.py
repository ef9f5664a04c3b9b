"""The whole platform on real stores, for the browser tests of frontend-service.

    uv run python -m tests.e2e.stack --out stack.json --origin http://127.0.0.1:4173

Creates fresh PostgreSQL databases (users, bookings), starts a MongoDB-compatible server and the
SMTP sink, then the four services as uvicorn processes on free ports, with an admin account.
When all answer `/healthz`, writes their URLs (and the admin's credentials) as JSON to `--out`,
then runs until SIGTERM or SIGINT (or until its parent process exits), and stops everything,
dropping the databases.
"""

import argparse
import json
import os
import signal
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from types import FrameType

from tests.harness.mongo import provide_mongo
from tests.harness.postgres import (
    create_database,
    drop_database,
    provide_postgres,
    unique_database_name,
)
from tests.harness.servers import run_uvicorn
from tests.harness.smtp import run_smtp_sink

ADMIN = {"email": "e2e-admin@example.com", "password": "e2e admin password"}
# Access tokens expire every few seconds, so every spec runs through renewals with the refresh
# token (and one spec waits for an expiry on purpose).
ACCESS_TOKEN_SECONDS = 12
# Fast password hashing, quiet logs; three failed logins lock an account (for the lockout test).
COMMON = {
    "ENV": "test",
    "LOG_LEVEL": "WARNING",
    "PASSWORD_HASH_TIME_COST": "1",
    "PASSWORD_HASH_MEMORY_KIB": "1024",
    "LOGIN_MAX_FAILURES": "3",
}


@contextmanager
def _postgres_database(admin_url: str, prefix: str) -> Iterator[str]:
    name = unique_database_name(prefix)
    try:
        yield create_database(admin_url, name)
    finally:
        drop_database(admin_url, name)


@contextmanager
def run_stack(
    origins: list[str],
    *,
    postgres_admin_url: str | None = None,
    mongo_url: str | None = None,
    access_token_seconds: float = ACCESS_TOKEN_SECONDS,
    env: Mapping[str, str] | None = None,
) -> Iterator[dict[str, object]]:
    """Start everything; yield what the browser tests need to know.

    A test session passes the stores it already runs; without them, the stack starts its own.
    `env` adds settings for every service.
    """
    with ExitStack() as stack:
        data = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="e2e-stack-")))
        postgres = postgres_admin_url or stack.enter_context(provide_postgres())
        mongo_url = mongo_url or stack.enter_context(provide_mongo())
        sink = stack.enter_context(run_smtp_sink(directory=data / "mail"))
        common = {**COMMON, "CORS_ORIGINS": ",".join(origins), **(env or {})}
        users = stack.enter_context(
            run_uvicorn(
                "user-service.app:app",
                env={
                    **common,
                    "USER_DATABASE_URL": stack.enter_context(_postgres_database(postgres, "e2e_u")),
                    "JWT_DEV_KEY_FILE": str(data / "jwt-key.pem"),
                    "ADMIN_EMAIL": ADMIN["email"],
                    "ADMIN_PASSWORD": ADMIN["password"],
                    "ACCESS_TOKEN_MINUTES": str(access_token_seconds / 60),
                },
            )
        )
        mongo_db = unique_database_name("e2e")
        events = stack.enter_context(
            run_uvicorn(
                "event-service.app:app",
                env={
                    **common,
                    "USER_SERVICE_URL": users,
                    "MONGO_URL": mongo_url,
                    "EVENT_MONGO_DB": f"{mongo_db}_events",
                    # A demotion reaches event-service at once (the specs check it does).
                    "TOKEN_VERSION_CACHE_SECONDS": "0",
                },
            )
        )
        notifications = stack.enter_context(
            run_uvicorn(
                "notification-service.app:app",
                env={
                    **common,
                    "USER_SERVICE_URL": users,
                    "MONGO_URL": mongo_url,
                    "NOTIFICATION_MONGO_DB": f"{mongo_db}_notifications",
                    "SMTP_HOST": sink.host,
                    "SMTP_PORT": str(sink.port),
                    "APP_URL": origins[0],
                },
            )
        )
        bookings = stack.enter_context(
            run_uvicorn(
                "booking-service.app:app",
                env={
                    **common,
                    "USER_SERVICE_URL": users,
                    "EVENT_SERVICE_URL": events,
                    "NOTIFICATION_SERVICE_URL": notifications,
                    "BOOKING_DATABASE_URL": stack.enter_context(
                        _postgres_database(postgres, "e2e_b")
                    ),
                },
            )
        )
        yield {
            "users": users,
            "events": events,
            "bookings": bookings,
            "notifications": notifications,
            "admin": ADMIN,
            "mail_dir": str(sink.directory),
            "access_token_seconds": access_token_seconds,
        }


def _write_atomically(path: Path, content: str) -> None:
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(content)
    os.replace(partial, path)  # readers never see half a file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, required=True, help="where to write the URLs (JSON)")
    parser.add_argument(
        "--origin",
        action="append",
        required=True,
        help="a browser origin the services must allow (CORS); repeat for more",
    )
    args = parser.parse_args()

    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    parent = os.getppid()
    with run_stack(args.origin) as urls:
        _write_atomically(args.out, json.dumps(urls, indent=2) + "\n")
        print(f"stack ready: {args.out}", flush=True)
        # Stop when told to, or when whoever started us is gone.
        while not stop.wait(0.5):
            if os.getppid() != parent:
                break
    args.out.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
