import uuid
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from event_service.models import EventStore
from tests.utils.bookings import (
    assert_event_accounting,
    available,
    book,
    outbox_for,
)
from tests.utils.events import create_event
from tests.utils.notifications import RecordingNotifications
from tests.utils.users import TestUser, assert_problem, bearer
from tests.utils.waiting import eventually


@pytest.fixture
async def event(events_client: httpx.AsyncClient, organizer: TestUser) -> dict[str, Any]:
    return await create_event(
        events_client,
        organizer.headers,
        total_tickets=20,
        price="12.50",
        title="Booking Test Night",
    )


async def test_booking_is_confirmed_reserved_and_notified(
    bookings_client: httpx.AsyncClient,
    booking_app: FastAPI,
    event: dict[str, Any],
    user: TestUser,
    event_store: EventStore,
    notifications: RecordingNotifications,
) -> None:
    response = await book(bookings_client, user.headers, event["id"], tickets=3)

    assert response.status_code == 201, response.text
    booking = response.json()
    assert booking["status"] == "confirmed"
    assert booking["user_id"] == user.id
    assert booking["user_email"] == user.email
    assert booking["event_title"] == "Booking Test Night"
    assert booking["event_starts_at"] == event["starts_at"]
    assert (booking["unit_price"], booking["total_price"]) == ("12.50", "37.50")
    assert booking["currency"] == "EUR"
    assert await available(event_store, event["id"]) == 17

    sessions = booking_app.state.sessions
    await eventually(lambda: _delivered(sessions, booking["id"]))
    [notice] = notifications.for_booking(booking["id"])
    assert notice["kind"] == "booking_confirmed"
    assert notice["user_email"] == user.email
    assert notice["dedupe_key"] == f"booking_confirmed:{booking['id']}"
    assert Decimal(notice["data"]["total_price"]) == Decimal("37.50")
    assert (notice["data"]["venue"], notice["data"]["city"]) == ("Town Hall", "Ghent")
    await assert_event_accounting(event_store, sessions, event["id"])


async def _delivered(sessions: Any, booking_id: str) -> bool:
    return [m.status for m in await outbox_for(sessions, booking_id)] == ["delivered"]


async def test_admin_books_on_behalf_of_a_user(
    bookings_client: httpx.AsyncClient, event: dict[str, Any], user: TestUser, admin_token: str
) -> None:
    response = await book(bookings_client, bearer(admin_token), event["id"], user_id=user.id)

    assert response.status_code == 201
    assert response.json()["user_id"] == user.id
    assert response.json()["user_email"] == user.email


async def test_booking_authorization(
    bookings_client: httpx.AsyncClient,
    event: dict[str, Any],
    user: TestUser,
    other_user: TestUser,
    service_headers: dict[str, str],
    event_store: EventStore,
) -> None:
    assert_problem(await book(bookings_client, {}, event["id"]), 401)
    assert_problem(await book(bookings_client, service_headers, event["id"]), 403)
    assert_problem(
        await book(bookings_client, user.headers, event["id"], user_id=other_user.id), 403
    )
    assert await available(event_store, event["id"]) == 20


async def test_unknown_user_is_not_found_and_nothing_reserved(
    bookings_client: httpx.AsyncClient,
    event: dict[str, Any],
    admin_token: str,
    event_store: EventStore,
) -> None:
    response = await book(
        bookings_client, bearer(admin_token), event["id"], user_id=str(uuid.uuid4())
    )

    assert assert_problem(response, 404)["type"].endswith("user-not-found")  # type: ignore[union-attr]
    assert await available(event_store, event["id"]) == 20


async def test_unknown_event_is_not_found(
    bookings_client: httpx.AsyncClient, user: TestUser
) -> None:
    for event_id in ("0" * 24, "no-such-event"):
        assert_problem(await book(bookings_client, user.headers, event_id), 404)


async def test_not_enough_tickets_conflicts_with_availability(
    bookings_client: httpx.AsyncClient,
    booking_app: FastAPI,
    events_client: httpx.AsyncClient,
    organizer: TestUser,
    user: TestUser,
    event_store: EventStore,
) -> None:
    small = await create_event(events_client, organizer.headers, total_tickets=2)

    response = await book(bookings_client, user.headers, small["id"], tickets=3)

    body = assert_problem(response, 409)
    assert body["available_tickets"] == 2
    assert body["reason"] == "insufficient"
    listed = await bookings_client.get(
        "/bookings", params={"event_id": small["id"], "status": "failed"}, headers=user.headers
    )
    assert [(b["status"], b["failure_reason"]) for b in listed.json()] == [
        ("failed", "insufficient")
    ]
    await assert_event_accounting(event_store, booking_app.state.sessions, small["id"])


async def test_cancelled_event_conflicts(
    bookings_client: httpx.AsyncClient,
    events_client: httpx.AsyncClient,
    organizer: TestUser,
    user: TestUser,
    event: dict[str, Any],
) -> None:
    await events_client.post(f"/events/{event['id']}/cancel", headers=organizer.headers)

    response = await book(bookings_client, user.headers, event["id"])

    assert assert_problem(response, 409)["reason"] == "cancelled"


@pytest.mark.parametrize(
    "body",
    [
        {"tickets": 0},
        {"tickets": -1},
        {"tickets": 11},
        {"tickets": "2"},
        {"tickets": 1.5},
        {"tickets": None},
        {"tickets": 1, "price": 0},
        {"tickets": 1, "user_id": "me"},
        {"tickets": 1, "event_id": "../../etc"},
        {"tickets": 1, "event_id": {"$ne": ""}},
        {"tickets": 1, "event_id": ""},
    ],
)
async def test_bad_booking_input_is_rejected_and_nothing_reserved(
    bookings_client: httpx.AsyncClient,
    event: dict[str, Any],
    user: TestUser,
    event_store: EventStore,
    body: dict[str, Any],
) -> None:
    payload = {"event_id": event["id"], **body}

    response = await bookings_client.post("/bookings", json=payload, headers=user.headers)

    assert_problem(response, 422)
    assert await available(event_store, event["id"]) == 20
    listed = await bookings_client.get(
        "/bookings", params={"event_id": event["id"]}, headers=user.headers
    )
    assert listed.json() == []


async def test_anonymous_booking_over_the_ticket_cap_is_unauthorized_first(
    bookings_client: httpx.AsyncClient, event: dict[str, Any]
) -> None:
    response = await bookings_client.post(
        "/bookings", json={"event_id": event["id"], "tickets": 11}
    )

    assert_problem(response, 401)


async def test_ticket_cap_problem_names_the_tickets_field(
    bookings_client: httpx.AsyncClient, event: dict[str, Any], user: TestUser
) -> None:
    response = await book(bookings_client, user.headers, event["id"], tickets=11)

    body = assert_problem(response, 422)
    assert body["errors"] == [
        {
            "field": "body.tickets",
            "message": "Input should be less than or equal to 10",
            "type": "less_than_equal",
        }
    ]
