"""Booking several ticket types at once: all or none, priced as booked, released per type."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from bson import ObjectId
from fastapi import FastAPI

from booking_service.service.recovery import recover_bookings
from event_service.models import EventStore
from tests.booking_service.conftest import Faults
from tests.utils.bookings import assert_event_accounting, available, book, outbox_for
from tests.utils.events import create_event
from tests.utils.notifications import RecordingNotifications
from tests.utils.users import TestUser, assert_problem
from tests.utils.waiting import eventually


@pytest.fixture
async def gala(events_client: httpx.AsyncClient, organizer: TestUser) -> dict[str, Any]:
    """Stalls (20 at 30.00, the default type), Balcony (6 at 18.50, at most 3 per order)."""
    return await create_event(
        events_client,
        organizer.headers,
        title="Gala Night",
        total_tickets=None,
        price=None,
        ticket_types=[
            {"name": "Stalls", "price": "30.00", "capacity": 20},
            {"name": "Balcony", "price": "18.50", "capacity": 6, "max_per_order": 3},
        ],
    )


def _items(event: dict[str, Any], **quantities: int) -> list[dict[str, Any]]:
    ids = {kind["name"]: kind["id"] for kind in event["ticket_types"]}
    return [{"ticket_type_id": ids[name], "quantity": n} for name, n in quantities.items()]


async def _book_items(
    client: httpx.AsyncClient, user: TestUser, event: dict[str, Any], **quantities: int
) -> httpx.Response:
    return await client.post(
        "/bookings",
        json={"event_id": event["id"], "items": _items(event, **quantities)},
        headers=user.headers,
    )


async def _type_available(store: EventStore, event: dict[str, Any], name: str) -> int:
    stored = await store.events.find_one({"_id": ObjectId(event["id"])})
    assert stored is not None
    kinds = stored["ticket_types"].values()
    return int(next(kind["available"] for kind in kinds if kind["name"] == name))


def _type_id(event: dict[str, Any], name: str) -> str:
    return str(_items(event, **{name: 1})[0]["ticket_type_id"])


async def test_booking_two_types_records_each_with_its_price_and_the_total(
    bookings_client: httpx.AsyncClient,
    booking_app: FastAPI,
    gala: dict[str, Any],
    user: TestUser,
    event_store: EventStore,
    notifications: RecordingNotifications,
) -> None:
    response = await _book_items(bookings_client, user, gala, Stalls=2, Balcony=3)

    assert response.status_code == 201, response.text
    booking = response.json()
    assert booking["tickets"] == 5
    assert [(item["name"], item["quantity"], item["unit_price"]) for item in booking["items"]] == [
        ("Stalls", 2, "30.00"),
        ("Balcony", 3, "18.50"),
    ]
    assert (booking["unit_price"], booking["total_price"]) == (None, "115.50")
    assert await _type_available(event_store, gala, "Balcony") == 3
    assert await available(event_store, gala["id"]) == 21
    await assert_event_accounting(event_store, booking_app.state.sessions, gala["id"])

    async def noticed() -> bool:
        return bool(notifications.for_booking(booking["id"]))

    await eventually(noticed)
    [notice] = notifications.for_booking(booking["id"])
    assert [item["name"] for item in notice["data"]["items"]] == ["Stalls", "Balcony"]
    assert Decimal(notice["data"]["total_price"]) == Decimal("115.50")


async def test_booking_the_seed_way_records_the_default_type(
    bookings_client: httpx.AsyncClient, gala: dict[str, Any], user: TestUser
) -> None:
    response = await book(bookings_client, user.headers, gala["id"], tickets=2)

    booking = response.json()
    assert [(item["ticket_type_id"], item["name"]) for item in booking["items"]] == [
        ("default", "Stalls")
    ]
    assert (booking["unit_price"], booking["total_price"]) == ("30.00", "60.00")


async def test_one_type_short_books_nothing_and_says_which(
    bookings_client: httpx.AsyncClient,
    booking_app: FastAPI,
    gala: dict[str, Any],
    user: TestUser,
    other_user: TestUser,
    event_store: EventStore,
) -> None:
    await _book_items(bookings_client, other_user, gala, Balcony=3)
    await _book_items(bookings_client, other_user, gala, Balcony=2)

    response = await _book_items(bookings_client, user, gala, Stalls=4, Balcony=2)

    body = assert_problem(response, 409)
    assert (body["reason"], body["ticket_type_id"]) == ("insufficient", _type_id(gala, "Balcony"))
    assert await _type_available(event_store, gala, "Stalls") == 20
    await assert_event_accounting(event_store, booking_app.state.sessions, gala["id"])


async def test_quantity_beyond_a_types_limit_is_unprocessable_and_holds_nothing(
    bookings_client: httpx.AsyncClient,
    booking_app: FastAPI,
    gala: dict[str, Any],
    user: TestUser,
    event_store: EventStore,
) -> None:
    response = await _book_items(bookings_client, user, gala, Stalls=1, Balcony=4)

    body = assert_problem(response, 422)
    assert (body["reason"], body["ticket_type_id"]) == ("above-maximum", _type_id(gala, "Balcony"))
    assert "Balcony" in str(body["detail"])
    assert await available(event_store, gala["id"]) == 26
    await assert_event_accounting(event_store, booking_app.state.sessions, gala["id"])


async def test_unknown_type_is_unprocessable(
    bookings_client: httpx.AsyncClient, gala: dict[str, Any], user: TestUser
) -> None:
    response = await bookings_client.post(
        "/bookings",
        json={"event_id": gala["id"], "items": [{"ticket_type_id": "nope", "quantity": 1}]},
        headers=user.headers,
    )

    assert assert_problem(response, 422)["reason"] == "unknown-ticket-type"


@pytest.mark.parametrize(
    "body",
    [
        {"tickets": 1, "items": [{"ticket_type_id": "default", "quantity": 1}]},
        {},
        {"items": []},
        {"items": [{"ticket_type_id": "default", "quantity": 1}] * 2},
        {"items": [{"ticket_type_id": "Default!", "quantity": 1}]},
        {"items": [{"ticket_type_id": "default", "quantity": 0}]},
        {"items": [{"ticket_type_id": "default", "quantity": 11}]},  # above the booking cap
    ],
)
async def test_malformed_items_are_unprocessable(
    bookings_client: httpx.AsyncClient, gala: dict[str, Any], user: TestUser, body: dict[str, Any]
) -> None:
    response = await bookings_client.post(
        "/bookings", json={"event_id": gala["id"], **body}, headers=user.headers
    )

    assert_problem(response, 422)


async def test_cancelling_gives_back_each_type(
    bookings_client: httpx.AsyncClient,
    booking_app: FastAPI,
    gala: dict[str, Any],
    user: TestUser,
    event_store: EventStore,
) -> None:
    booking = (await _book_items(bookings_client, user, gala, Stalls=1, Balcony=2)).json()

    cancelled = await bookings_client.post(
        f"/bookings/{booking['id']}/cancel", headers=user.headers
    )

    assert cancelled.json()["status"] == "cancelled"
    assert await _type_available(event_store, gala, "Balcony") == 6
    assert await available(event_store, gala["id"]) == 26
    await assert_event_accounting(event_store, booking_app.state.sessions, gala["id"])


async def test_same_key_for_other_types_is_refused(
    bookings_client: httpx.AsyncClient, gala: dict[str, Any], user: TestUser
) -> None:
    headers = {**user.headers, "Idempotency-Key": "two-types-1"}
    first = await bookings_client.post(
        "/bookings",
        json={"event_id": gala["id"], "items": _items(gala, Stalls=1, Balcony=1)},
        headers=headers,
    )
    other = await bookings_client.post(
        "/bookings",
        json={"event_id": gala["id"], "items": _items(gala, Stalls=2)},
        headers=headers,
    )

    assert first.status_code == 201
    assert_problem(other, 422)


async def test_two_type_reservation_whose_answer_is_lost_is_released_by_recovery(
    bookings_client: httpx.AsyncClient,
    booking_app: FastAPI,
    gala: dict[str, Any],
    user: TestUser,
    faults: Faults,
    event_store: EventStore,
) -> None:
    faults.events.fail("timeout-after-applying")

    response = await _book_items(bookings_client, user, gala, Stalls=2, Balcony=3)

    assert assert_problem(response, 503)["dependency"] == "event-service"
    assert await _type_available(event_store, gala, "Balcony") == 3  # held: outcome unknown
    faults.heal()
    report = await recover_bookings(
        sessions=booking_app.state.sessions, clients=booking_app.state.clients, grace=timedelta(0)
    )
    assert report.released == 1
    assert await _type_available(event_store, gala, "Balcony") == 6
    assert await available(event_store, gala["id"]) == 26
    await assert_event_accounting(event_store, booking_app.state.sessions, gala["id"])


async def test_two_type_reservation_retried_after_a_lost_answer_confirms_once(
    bookings_client: httpx.AsyncClient,
    booking_app: FastAPI,
    gala: dict[str, Any],
    user: TestUser,
    faults: Faults,
    event_store: EventStore,
) -> None:
    faults.events.fail("timeout-after-applying", times=1)

    response = await _book_items(bookings_client, user, gala, Stalls=2, Balcony=3)

    assert response.status_code == 201, response.text
    assert [item["name"] for item in response.json()["items"]] == ["Stalls", "Balcony"]
    assert await available(event_store, gala["id"]) == 21
    await assert_event_accounting(event_store, booking_app.state.sessions, gala["id"])
    assert len(await outbox_for(booking_app.state.sessions, response.json()["id"])) == 1
