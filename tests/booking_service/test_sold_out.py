"""The sold-out fast path: once event-service said an event is short of tickets, a booking it
could not take is refused at once, recording nothing and calling nobody, for SOLD_OUT_CACHE_SECONDS;
tickets released meanwhile are never refused."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from booking_service.clients.availability import RecentAvailability
from booking_service.clients.errors import TicketsUnavailableError
from booking_service.main import create_app
from booking_service.models import Booking
from tests.booking_service.conftest import Faults, MakeBookingSettings
from tests.utils.asgi import running_client
from tests.utils.bookings import book
from tests.utils.events import create_event
from tests.utils.routing import RoutingTransport
from tests.utils.users import TestUser

CACHES = {"sold_out_cache_seconds": 1, "user_cache_seconds": 5}  # the defaults


@pytest.fixture
async def cached_app(
    make_booking_settings: MakeBookingSettings, booking_transport: RoutingTransport
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = create_app(make_booking_settings(**CACHES), http_transport=booking_transport)
    async with running_client(app, "http://localhost:8002") as client:
        yield app, client


@pytest.fixture
def booking_app(cached_app: tuple[FastAPI, httpx.AsyncClient]) -> FastAPI:
    return cached_app[0]


@pytest.fixture
def bookings_client(cached_app: tuple[FastAPI, httpx.AsyncClient]) -> httpx.AsyncClient:
    return cached_app[1]


@pytest.fixture
async def pair(events_client: httpx.AsyncClient, organizer: TestUser) -> dict[str, Any]:
    return await create_event(events_client, organizer.headers, total_tickets=2)


async def _bookings_of(booking_app: FastAPI, event_id: str) -> int:
    async with booking_app.state.sessions() as session:
        count = await session.scalar(
            select(func.count()).select_from(Booking).where(Booking.event_id == event_id)
        )
    return int(count or 0)


async def test_booking_after_sell_out_refused_at_once_recording_and_calling_nothing(
    bookings_client: httpx.AsyncClient,
    booking_app: FastAPI,
    faults: Faults,
    pair: dict[str, Any],
    user: TestUser,
) -> None:
    assert (await book(bookings_client, user.headers, pair["id"], tickets=2)).status_code == 201
    recorded = await _bookings_of(booking_app, pair["id"])
    calls = (faults.users.calls, faults.events.calls)

    refused = await book(bookings_client, user.headers, pair["id"], tickets=1)

    assert refused.status_code == 409, refused.text
    assert (refused.json()["reason"], refused.json()["available_tickets"]) == ("insufficient", 0)
    assert await _bookings_of(booking_app, pair["id"]) == recorded
    assert (faults.users.calls, faults.events.calls) == calls


async def test_booking_after_a_cancellation_here_gets_the_released_tickets_at_once(
    bookings_client: httpx.AsyncClient, pair: dict[str, Any], user: TestUser
) -> None:
    first = await book(bookings_client, user.headers, pair["id"], tickets=2)
    cancelled = await bookings_client.post(
        f"/bookings/{first.json()['id']}/cancel", headers=user.headers
    )
    assert cancelled.status_code == 200, cancelled.text

    again = await book(bookings_client, user.headers, pair["id"], tickets=2)

    assert again.status_code == 201, again.text


async def test_booking_after_tickets_added_elsewhere_asks_again_once_the_answer_is_old(
    bookings_client: httpx.AsyncClient,
    events_client: httpx.AsyncClient,
    booking_app: FastAPI,
    pair: dict[str, Any],
    organizer: TestUser,
    user: TestUser,
) -> None:
    assert (await book(bookings_client, user.headers, pair["id"], tickets=2)).status_code == 201
    assert (await book(bookings_client, user.headers, pair["id"], tickets=2)).status_code == 409
    grown = await events_client.patch(
        f"/events/{pair['id']}", json={"total_tickets": 4}, headers=organizer.headers
    )
    assert grown.status_code == 200, grown.text
    await asyncio.sleep(booking_app.state.settings.sold_out_cache_seconds)

    again = await book(bookings_client, user.headers, pair["id"], tickets=2)

    assert again.status_code == 201, again.text


async def test_replay_of_a_booked_key_after_sell_out_answers_the_booking(
    bookings_client: httpx.AsyncClient, pair: dict[str, Any], user: TestUser
) -> None:
    key = str(uuid.uuid4())
    first = await book(bookings_client, user.headers, pair["id"], tickets=2, key=key)
    assert first.status_code == 201, first.text

    replay = await book(bookings_client, user.headers, pair["id"], tickets=2, key=key)

    assert replay.status_code == 201, replay.text
    assert replay.json()["id"] == first.json()["id"]


def test_recent_availability_older_answer_does_not_hide_a_newer_one() -> None:
    now = [100.0]
    availability = RecentAvailability(ttl_seconds=1, clock=lambda: now[0])
    availability.saw_tickets("e", available_tickets=5, asked_at=100.0)
    availability.saw_tickets("e", available_tickets=0, asked_at=99.5)

    assert availability.refusal("e", 5) is None
    assert isinstance(availability.refusal("e", 6), TicketsUnavailableError)


def test_recent_availability_answer_older_than_ttl_refuses_nothing() -> None:
    now = [100.0]
    availability = RecentAvailability(ttl_seconds=1, clock=lambda: now[0])
    availability.saw_tickets("e", available_tickets=0, asked_at=100.0)
    now[0] = 101.01

    assert availability.refusal("e", 1) is None


async def test_second_booking_of_a_user_within_seconds_does_not_ask_user_service_again(
    bookings_client: httpx.AsyncClient, faults: Faults, pair: dict[str, Any], user: TestUser
) -> None:
    assert (await book(bookings_client, user.headers, pair["id"], tickets=1)).status_code == 201
    asked = faults.users.count("GET", f"/users/{user.id}")

    assert (await book(bookings_client, user.headers, pair["id"], tickets=1)).status_code == 201

    assert faults.users.count("GET", f"/users/{user.id}") == asked == 1
