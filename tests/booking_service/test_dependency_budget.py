"""One retry policy per booking step: event-service is retried until the budget is spent."""

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from bson import ObjectId
from fastapi import FastAPI

from booking_service.main import create_app
from booking_service.models import Booking
from booking_service.service.recovery import recover_bookings
from event_service.models import EventStore, LedgerState, TicketDirection
from tests.booking_service.conftest import Faults, MakeBookingSettings
from tests.utils.asgi import running_client
from tests.utils.bookings import assert_event_accounting, available, book
from tests.utils.events import create_event
from tests.utils.routing import RoutingTransport
from tests.utils.users import TestUser, assert_problem

UPDATE_TICKETS = "/update_tickets"
# Each attempt waits at most 0.6 s for event-service; a booking step gets 2 s in all. Against
# an event-service that never answers in time: attempts of 0.6 s, with 0.05-0.1 s and then
# 0.1-0.2 s of jittered backoff between them, so the third starts between 1.35 s and 1.5 s
# (plus the user lookup before it) and no fourth fits before 2 s, whatever the jitter.
BUDGET = {"http_read_timeout": 0.6, "booking_dependency_budget_seconds": 2}
ATTEMPTS_WITHIN_BUDGET = 3


@pytest.fixture
async def budget_app(
    make_booking_settings: MakeBookingSettings, booking_transport: RoutingTransport
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = create_app(make_booking_settings(**BUDGET), http_transport=booking_transport)
    async with running_client(app, "http://localhost:8002") as client:
        yield app, client


@pytest.fixture
async def event(events_client: httpx.AsyncClient, organizer: TestUser) -> dict[str, Any]:
    return await create_event(events_client, organizer.headers, total_tickets=10)


async def _applied_reservations(store: EventStore, event_id: str, reference: str) -> int:
    return await store.ledger.count_documents(
        {
            "event_id": ObjectId(event_id),
            "reference": reference,
            "direction": TicketDirection.RESERVE,
            "state": LedgerState.APPLIED,
        }
    )


async def test_event_service_never_answering_gets_the_policys_attempts_then_503(
    budget_app: tuple[FastAPI, httpx.AsyncClient],
    event: dict[str, Any],
    user: TestUser,
    faults: Faults,
    event_store: EventStore,
) -> None:
    app, client = budget_app
    faults.events.fail("slow")
    before = faults.events.count("PUT", UPDATE_TICKETS)

    response = await book(client, user.headers, event["id"], tickets=2)

    assert faults.events.count("PUT", UPDATE_TICKETS) - before == ATTEMPTS_WITHIN_BUDGET
    body = assert_problem(response, 503)
    assert body["dependency"] == "event-service"
    assert int(response.headers["retry-after"]) > 0
    faults.heal()
    report = await recover_bookings(
        sessions=app.state.sessions, clients=app.state.clients, grace=timedelta(0)
    )
    assert (report.confirmed, report.failed, report.released, report.deferred) == (0, 0, 1, 0)
    assert await available(event_store, event["id"]) == 10
    await assert_event_accounting(event_store, app.state.sessions, event["id"])


async def test_event_service_timing_out_once_books_once_and_decrements_once(
    budget_app: tuple[FastAPI, httpx.AsyncClient],
    event: dict[str, Any],
    user: TestUser,
    faults: Faults,
    event_store: EventStore,
) -> None:
    app, client = budget_app
    faults.events.fail("slow", times=1)
    before = faults.events.count("PUT", UPDATE_TICKETS)

    response = await book(client, user.headers, event["id"], tickets=3)

    assert response.status_code == 201, response.text
    assert faults.events.count("PUT", UPDATE_TICKETS) - before == 2
    listed = await client.get("/bookings", params={"event_id": event["id"]}, headers=user.headers)
    assert [(b["id"], b["status"]) for b in listed.json()] == [(response.json()["id"], "confirmed")]
    assert await available(event_store, event["id"]) == 7
    assert await _applied_reservations(event_store, event["id"], response.json()["id"]) == 1
    await assert_event_accounting(event_store, app.state.sessions, event["id"])


async def test_user_service_unreachable_is_retried_within_the_budget_and_reserves_nothing(
    budget_app: tuple[FastAPI, httpx.AsyncClient],
    event: dict[str, Any],
    user: TestUser,
    faults: Faults,
    event_store: EventStore,
) -> None:
    _, client = budget_app
    await book(client, user.headers, event["id"])  # keys and service token cached
    faults.users.fail("down")
    calls_before = faults.users.calls
    puts_before = faults.events.count("PUT", UPDATE_TICKETS)

    response = await book(client, user.headers, event["id"])

    assert assert_problem(response, 503)["dependency"] == "user-service"
    assert faults.users.calls - calls_before > 1
    assert faults.events.count("PUT", UPDATE_TICKETS) == puts_before
    assert await available(event_store, event["id"]) == 9


async def test_cancel_release_is_retried_until_answered(
    budget_app: tuple[FastAPI, httpx.AsyncClient],
    event: dict[str, Any],
    user: TestUser,
    faults: Faults,
    event_store: EventStore,
) -> None:
    app, client = budget_app
    booking = (await book(client, user.headers, event["id"], tickets=4)).json()
    faults.events.fail("error-503", times=2)
    before = faults.events.count("PUT", UPDATE_TICKETS)

    cancelled = await client.post(f"/bookings/{booking['id']}/cancel", headers=user.headers)

    assert cancelled.json()["status"] == "cancelled"
    assert faults.events.count("PUT", UPDATE_TICKETS) - before == 3
    assert await available(event_store, event["id"]) == 10
    async with app.state.sessions() as session:
        stored = await session.get(Booking, uuid.UUID(booking["id"]))
    assert stored is not None
    assert stored.release_pending is False
    await assert_event_accounting(event_store, app.state.sessions, event["id"])
