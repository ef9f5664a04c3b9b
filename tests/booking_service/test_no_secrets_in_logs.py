"""A database error in booking-service logs the statement, never its values or anyone's token."""

import logging
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from booking_service.main import create_app
from service_kit.logging import JsonFormatter
from tests.booking_service.conftest import MakeBookingSettings
from tests.harness.postgres import create_database, drop_database, unique_database_name
from tests.utils.asgi import running_client
from tests.utils.bookings import book
from tests.utils.events import create_event
from tests.utils.routing import RoutingTransport
from tests.utils.sql_faults import refused_writes
from tests.utils.users import TestUser


@pytest.fixture
def own_database_url(postgres_admin_url: str) -> Iterator[str]:
    name = unique_database_name("bookings_errors")
    yield create_database(postgres_admin_url, name)
    drop_database(postgres_admin_url, name)


@pytest.fixture
async def own_client(
    make_booking_settings: MakeBookingSettings,
    booking_transport: RoutingTransport,
    own_database_url: str,
) -> AsyncIterator[httpx.AsyncClient]:
    settings = make_booking_settings(booking_database_url=own_database_url)
    app = create_app(settings, http_transport=booking_transport)
    async with running_client(app, "http://bookings.errors") as client:
        yield client


async def test_database_error_logs_no_tokens_secrets_or_values(
    own_client: httpx.AsyncClient,
    own_database_url: str,
    events_client: httpx.AsyncClient,
    organizer: TestUser,
    user: TestUser,
    caplog: pytest.LogCaptureFixture,
) -> None:
    event = await create_event(events_client, organizer.headers, total_tickets=5)
    caplog.set_level(logging.DEBUG)

    with refused_writes(own_database_url, "bookings"):
        response = await book(own_client, user.headers, event["id"])

    assert response.status_code == 500, response.text
    formatter = JsonFormatter("booking-service")
    lines = "\n".join(formatter.format(record) for record in caplog.records)
    assert "hide_parameters=True" in lines  # the statement's error was logged, without values
    for secret in (user.token, user.email, "dev-booking-service-secret"):
        assert secret not in lines
