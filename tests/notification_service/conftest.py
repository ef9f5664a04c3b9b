"""notification-service under test: real apps on fresh MongoDB-compatible databases, a real SMTP
sink, and the session's in-process user-service for the JWKS (through `platform_transport`).

Most tests share one app (`notifications_client`); tests that need their own delivery settings
or several replicas build apps with `make_notification_app` on a database of their own, since
every app's worker delivers whatever is due in its database.
"""

import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pymongo import MongoClient
from pymongo.errors import OperationFailure

from notification_service.config import NotificationSettings
from notification_service.main import create_app
from tests.harness.mongo import run_secantus
from tests.harness.smtp import SmtpSink, run_smtp_sink
from tests.utils.asgi import running_client
from tests.utils.routing import RoutingTransport
from tests.utils.users import bearer, service_token

NOTIFICATION_SERVICE_URL = "http://localhost:8003"
# Fast loops so the tests take milliseconds, not the production seconds.
FAST = {
    "env": "test",
    "email_poll_seconds": 0.05,
    "email_retry_base_seconds": 0.05,
    "email_retry_max_seconds": 0.2,
    "smtp_timeout_seconds": 2,
    "email_lease_seconds": 5,
    "ws_poll_seconds": 0.05,
}


def supports_change_streams(url: str) -> bool:
    client: MongoClient[dict[str, Any]] = MongoClient(url, serverSelectionTimeoutMS=5000)
    try:
        with client["change_stream_probe"]["probe"].watch(max_await_time_ms=10):
            return True
    except OperationFailure:
        return False
    finally:
        client.close()


@pytest.fixture(scope="session")
def replica_mongo_url(mongo_url: str) -> Iterator[str]:
    """A store with change streams: the session's if it has them, else a SecantusDB replica set."""
    if supports_change_streams(mongo_url):
        yield mongo_url
    else:
        with run_secantus(standalone=False) as url:
            yield url


@pytest.fixture(scope="session")
def standalone_mongo_url(mongo_url: str) -> Iterator[str]:
    """A store without change streams: the session's if it lacks them, else a standalone one."""
    if not supports_change_streams(mongo_url):
        yield mongo_url
    else:
        with run_secantus(standalone=True) as url:
            yield url


@pytest.fixture(scope="session")
def new_database(mongo_url: str) -> Iterator[Callable[[str], str]]:
    """Names a fresh database on the server at a URL.

    Those on the session's server are dropped afterwards; the throwaway servers above take
    theirs with them.
    """
    created: list[str] = []

    def make(url: str) -> str:
        name = f"test_notifications_{uuid.uuid4().hex[:10]}"
        if url == mongo_url:
            created.append(name)
        return name

    yield make
    client: MongoClient[dict[str, Any]] = MongoClient(mongo_url, serverSelectionTimeoutMS=5000)
    try:
        for name in created:
            client.drop_database(name)
    finally:
        client.close()


@pytest.fixture(scope="session")
def smtp_sink() -> Iterator[SmtpSink]:
    with run_smtp_sink() as sink:
        yield sink


@pytest.fixture(scope="session")
def make_notification_settings(
    mongo_url: str, new_database: Callable[[str], str], smtp_sink: SmtpSink
) -> Callable[..., NotificationSettings]:
    """Settings on a fresh database of the session's store, mailing the session's sink."""

    def make(**overrides: Any) -> NotificationSettings:
        url = overrides.pop("mongo_url", mongo_url)
        values: dict[str, Any] = {
            **FAST,
            "mongo_url": url,
            "notification_mongo_db": new_database(url),
            "smtp_host": smtp_sink.host,
            "smtp_port": smtp_sink.port,
            **overrides,
        }
        return NotificationSettings(**values)

    return make


@pytest.fixture(scope="session")
def make_notification_app(
    platform_transport: RoutingTransport,
) -> Callable[[NotificationSettings], FastAPI]:
    def make(settings: NotificationSettings) -> FastAPI:
        return create_app(settings, http_transport=platform_transport)

    return make


@pytest.fixture(scope="session")
def notification_app(
    make_notification_settings: Callable[..., NotificationSettings],
    make_notification_app: Callable[[NotificationSettings], FastAPI],
) -> FastAPI:
    return make_notification_app(make_notification_settings())


@pytest.fixture(scope="session")
async def notifications_client(notification_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with running_client(notification_app, NOTIFICATION_SERVICE_URL) as client:
        yield client


@pytest.fixture(scope="session")
async def service_headers(users_client: httpx.AsyncClient) -> dict[str, str]:
    return bearer(await service_token(users_client, "booking-service"))
