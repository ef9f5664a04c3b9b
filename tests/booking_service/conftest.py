"""booking-service under test: the real app on a fresh PostgreSQL database, talking to the
session's real user-service and event-service in-process, with faults injectable in front of
each, and a recording stand-in for notification-service."""

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from booking_service.config import BookingSettings
from booking_service.main import create_app
from tests.harness.postgres import create_database, drop_database, unique_database_name
from tests.utils.asgi import running_client
from tests.utils.faults import FaultyTransport
from tests.utils.notifications import RecordingNotifications
from tests.utils.routing import RoutingTransport
from tests.utils.saga import Saga

MakeBookingSettings = Callable[..., BookingSettings]

FAST_LOOPS: dict[str, Any] = {
    "booking_dependency_budget_seconds": 2,
    "outbox_poll_seconds": 0.05,
    "outbox_backoff_seconds": 0.05,
    "outbox_backoff_max_seconds": 0.2,
    "recovery_interval_seconds": 3600,  # tests run recovery themselves
    "recovery_grace_seconds": 5,
    "http_read_timeout": 2,
    # Every request asks user- and event-service, as most tests expect; test_sold_out.py
    # runs an app with the caches on.
    "sold_out_cache_seconds": 0,
    "user_cache_seconds": 0,
}


@dataclass
class Faults:
    users: FaultyTransport
    events: FaultyTransport
    notifications: FaultyTransport

    def heal(self) -> None:
        for transport in (self.users, self.events, self.notifications):
            transport.heal()


@pytest.fixture(scope="session")
def booking_database_url(postgres_admin_url: str) -> Iterator[str]:
    name = unique_database_name("bookings")
    url = create_database(postgres_admin_url, name)
    yield url
    drop_database(postgres_admin_url, name)


@pytest.fixture(scope="session")
def notifications() -> RecordingNotifications:
    return RecordingNotifications()


@pytest.fixture(scope="session")
def faults(
    user_app: FastAPI,
    event_app: FastAPI,
    events_client: httpx.AsyncClient,
    notifications: RecordingNotifications,
) -> Faults:
    return Faults(
        users=FaultyTransport(httpx.ASGITransport(app=user_app)),
        events=FaultyTransport(httpx.ASGITransport(app=event_app)),
        notifications=FaultyTransport(httpx.ASGITransport(app=notifications.app)),
    )


@pytest.fixture(autouse=True)
def _healed(faults: Faults) -> Iterator[None]:
    yield
    faults.heal()


@pytest.fixture(autouse=True)
def _notices_keep_the_contract(notifications: RecordingNotifications) -> Iterator[None]:
    yield
    rejected = list(notifications.rejected)
    notifications.rejected.clear()
    assert rejected == [], "notification-service would refuse these notices"


@pytest.fixture(scope="session")
def booking_transport(faults: Faults) -> RoutingTransport:
    transport = RoutingTransport()
    transport.add("http://localhost:8000", faults.users)
    transport.add("http://localhost:8001", faults.events)
    transport.add("http://localhost:8003", faults.notifications)
    return transport


@pytest.fixture(scope="session")
def make_booking_settings(booking_database_url: str) -> MakeBookingSettings:
    def make(**overrides: Any) -> BookingSettings:
        return BookingSettings(
            **{
                "env": "test",
                "booking_database_url": booking_database_url,
                **FAST_LOOPS,
                **overrides,
            }
        )

    return make


@pytest.fixture(scope="session")
def booking_app(
    make_booking_settings: MakeBookingSettings, booking_transport: RoutingTransport
) -> FastAPI:
    return create_app(make_booking_settings(), http_transport=booking_transport)


@pytest.fixture(scope="session")
async def bookings_client(booking_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with running_client(booking_app, "http://localhost:8002") as client:
        yield client


@pytest.fixture
def saga(booking_app: FastAPI, bookings_client: httpx.AsyncClient) -> Saga:
    """The saga's service functions on the running booking-service's store and clients."""
    return Saga(sessions=booking_app.state.sessions, clients=booking_app.state.clients)
