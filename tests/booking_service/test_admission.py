"""Admission: at most BOOKING_MAX_IN_FLIGHT bookings are placed at once; the others wait their
turn in arrival order, and one that waits in vain is a 503 that recorded nothing."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from booking_service.main import create_app
from booking_service.service.admission import Admission
from service_kit.errors import ServiceUnavailableError
from tests.booking_service.conftest import MakeBookingSettings
from tests.utils.asgi import running_client
from tests.utils.bookings import book, confirmed_tickets
from tests.utils.events import create_event
from tests.utils.routing import RoutingTransport
from tests.utils.users import TestUser


@pytest.fixture
async def one_at_a_time(
    make_booking_settings: MakeBookingSettings, booking_transport: RoutingTransport
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    settings = make_booking_settings(booking_max_in_flight=1, booking_queue_wait_seconds=0.3)
    app = create_app(settings, http_transport=booking_transport)
    async with running_client(app, "http://localhost:8002") as client:
        yield app, client


@pytest.fixture
async def event(events_client: httpx.AsyncClient, organizer: TestUser) -> dict[str, Any]:
    return await create_event(events_client, organizer.headers, total_tickets=5)


async def test_a_booking_that_waits_in_vain_is_503_busy_and_records_nothing(
    one_at_a_time: tuple[FastAPI, httpx.AsyncClient], event: dict[str, Any], user: TestUser
) -> None:
    app, client = one_at_a_time
    async with app.state.admission.slot():  # another booking is being placed
        refused = await book(client, user.headers, event["id"], tickets=1)
    admitted = await book(client, user.headers, event["id"], tickets=1)

    assert refused.status_code == 503, refused.text
    assert refused.json()["reason"] == "busy"
    assert refused.headers["retry-after"] == "1"
    assert refused.headers["content-type"] == "application/problem+json"
    listed = await client.get("/bookings?status=failed", headers=user.headers)
    assert listed.json() == []
    assert admitted.status_code == 201, admitted.text
    assert await confirmed_tickets(app.state.sessions, event["id"]) == 1


async def test_a_booking_admitted_after_the_wait_is_placed(
    one_at_a_time: tuple[FastAPI, httpx.AsyncClient], event: dict[str, Any], user: TestUser
) -> None:
    app, client = one_at_a_time

    async def hold_briefly() -> None:
        async with app.state.admission.slot():
            await asyncio.sleep(0.1)

    holder = asyncio.create_task(hold_briefly())
    await asyncio.sleep(0)
    waited = await book(client, user.headers, event["id"], tickets=2)
    await holder

    assert waited.status_code == 201, waited.text


async def test_no_more_than_the_limit_at_once_and_in_arrival_order() -> None:
    admission = Admission(limit=2, wait_seconds=5)
    inside = most = 0
    admitted: list[int] = []

    async def booking(number: int) -> None:
        nonlocal inside, most
        async with admission.slot():
            admitted.append(number)
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.01)
            inside -= 1

    await asyncio.gather(*(booking(number) for number in range(10)))

    assert most == 2
    assert admitted == list(range(10))


async def test_waiting_in_vain_gives_no_slot_away() -> None:
    admission = Admission(limit=1, wait_seconds=0.05)
    async with admission.slot():
        with pytest.raises(ServiceUnavailableError):
            async with admission.slot():
                pass

    async with asyncio.timeout(1):
        async with admission.slot():  # the slot is free again, and only one was ever taken
            pass
