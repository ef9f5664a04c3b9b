import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from bson import ObjectId
from fastapi import FastAPI
from sqlalchemy import update

from booking_service.models import Booking
from event_service.models import EventStore
from tests.utils.bookings import assert_event_accounting, available, book, outbox_for
from tests.utils.events import create_event
from tests.utils.notifications import RecordingNotifications
from tests.utils.users import TestUser, assert_invalid_field, assert_problem, bearer
from tests.utils.waiting import eventually


@pytest.fixture
async def event(events_client: httpx.AsyncClient, organizer: TestUser) -> dict[str, Any]:
    return await create_event(events_client, organizer.headers, total_tickets=10)


async def test_list_shows_own_bookings_newest_first(
    bookings_client: httpx.AsyncClient,
    event: dict[str, Any],
    user: TestUser,
    other_user: TestUser,
) -> None:
    first = (await book(bookings_client, user.headers, event["id"])).json()
    second = (await book(bookings_client, user.headers, event["id"], tickets=2)).json()
    await book(bookings_client, other_user.headers, event["id"])

    response = await bookings_client.get("/bookings", headers=user.headers)
    page = await bookings_client.get(
        "/bookings", params={"limit": 1, "offset": 1}, headers=user.headers
    )

    assert [b["id"] for b in response.json()] == [second["id"], first["id"]]
    assert response.headers["x-total-count"] == "2"
    assert [b["id"] for b in page.json()] == [first["id"]]


@pytest.mark.parametrize("offset", [100_001, 10**19])
async def test_list_offset_past_the_bound_is_refused(
    bookings_client: httpx.AsyncClient, user: TestUser, offset: int
) -> None:
    response = await bookings_client.get(
        "/bookings", params={"offset": offset}, headers=user.headers
    )

    assert_invalid_field(response, "query.offset")


async def test_list_filters_and_admin_view(
    bookings_client: httpx.AsyncClient,
    event: dict[str, Any],
    user: TestUser,
    other_user: TestUser,
    admin_token: str,
    events_client: httpx.AsyncClient,
    organizer: TestUser,
) -> None:
    other_event = await create_event(events_client, organizer.headers, total_tickets=1)
    mine = (await book(bookings_client, user.headers, event["id"])).json()
    await book(bookings_client, user.headers, other_event["id"], tickets=5)
    theirs = (await book(bookings_client, other_user.headers, event["id"])).json()
    admin = bearer(admin_token)

    failed = await bookings_client.get(
        "/bookings", params={"status": "failed"}, headers=user.headers
    )
    by_event = await bookings_client.get(
        "/bookings", params={"event_id": event["id"]}, headers=admin
    )
    by_user = await bookings_client.get(
        "/bookings", params={"user_id": other_user.id}, headers=admin
    )
    snooping = await bookings_client.get(
        "/bookings", params={"user_id": other_user.id}, headers=user.headers
    )

    assert [b["event_id"] for b in failed.json()] == [other_event["id"]]
    assert {b["id"] for b in by_event.json()} == {mine["id"], theirs["id"]}
    assert [b["id"] for b in by_user.json()] == [theirs["id"]]
    assert_problem(snooping, 403)
    assert_problem(await bookings_client.get("/bookings"), 401)
    for params in ({"status": "lost"}, {"limit": 0}, {"limit": 101}, {"user_id": "x"}):
        assert_problem(await bookings_client.get("/bookings", params=params, headers=admin), 422)


async def test_list_leaves_out_failed_attempts_unless_asked_for_them(
    bookings_client: httpx.AsyncClient,
    event: dict[str, Any],
    user: TestUser,
    admin_token: str,
) -> None:
    booked = (await book(bookings_client, user.headers, event["id"], tickets=2)).json()
    refused = await book(bookings_client, user.headers, event["id"], tickets=9)
    assert_problem(refused, 409)
    admin = bearer(admin_token)
    by_event = {"event_id": event["id"]}

    own = await bookings_client.get("/bookings", headers=user.headers)
    everyone = await bookings_client.get("/bookings", params=by_event, headers=admin)
    failed = await bookings_client.get(
        "/bookings", params={**by_event, "status": "failed"}, headers=admin
    )

    assert [b["id"] for b in own.json()] == [booked["id"]]
    assert own.headers["x-total-count"] == "1"
    assert [b["id"] for b in everyone.json()] == [booked["id"]]
    assert everyone.headers["x-total-count"] == "1"
    assert [(b["status"], b["tickets"]) for b in failed.json()] == [("failed", 9)]
    assert failed.headers["x-total-count"] == "1"


async def test_read_one_booking_authorization(
    bookings_client: httpx.AsyncClient,
    event: dict[str, Any],
    user: TestUser,
    other_user: TestUser,
    admin_token: str,
) -> None:
    booking = (await book(bookings_client, user.headers, event["id"])).json()
    path = f"/bookings/{booking['id']}"

    assert (await bookings_client.get(path, headers=user.headers)).json() == booking
    assert (await bookings_client.get(path, headers=bearer(admin_token))).status_code == 200
    assert_problem(await bookings_client.get(path, headers=other_user.headers), 403)
    assert_problem(await bookings_client.get(path), 401)
    assert_problem(
        await bookings_client.get(f"/bookings/{uuid.uuid4()}", headers=user.headers), 404
    )
    assert_problem(await bookings_client.get("/bookings/42", headers=user.headers), 422)


async def test_cancel_releases_tickets_and_notifies_once(
    bookings_client: httpx.AsyncClient,
    booking_app: FastAPI,
    event: dict[str, Any],
    user: TestUser,
    event_store: EventStore,
    notifications: RecordingNotifications,
) -> None:
    booking = (await book(bookings_client, user.headers, event["id"], tickets=3)).json()
    path = f"/bookings/{booking['id']}/cancel"

    cancelled = await bookings_client.post(path, headers=user.headers)
    again = await bookings_client.post(path, headers=user.headers)

    assert cancelled.json()["status"] == "cancelled"
    assert again.status_code == 200
    assert again.json() == cancelled.json()
    assert await available(event_store, event["id"]) == 10
    sessions = booking_app.state.sessions

    async def both_delivered() -> bool:
        messages = await outbox_for(sessions, booking["id"])
        return [(m.kind, m.status) for m in messages] == [
            ("booking_confirmed", "delivered"),
            ("booking_cancelled", "delivered"),
        ]

    await eventually(both_delivered)
    kinds = sorted(n["kind"] for n in notifications.for_booking(booking["id"]))
    assert kinds == ["booking_cancelled", "booking_confirmed"]
    await assert_event_accounting(event_store, sessions, event["id"])


async def test_cancel_authorization_and_states(
    bookings_client: httpx.AsyncClient,
    booking_app: FastAPI,
    event: dict[str, Any],
    user: TestUser,
    other_user: TestUser,
    admin_token: str,
    event_store: EventStore,
) -> None:
    booking = (await book(bookings_client, user.headers, event["id"])).json()
    refused = await book(bookings_client, user.headers, event["id"], tickets=10)
    path = f"/bookings/{booking['id']}/cancel"

    assert_problem(await bookings_client.post(path), 401)
    assert_problem(await bookings_client.post(path, headers=other_user.headers), 403)
    failed_id = (
        await bookings_client.get("/bookings", params={"status": "failed"}, headers=user.headers)
    ).json()[0]["id"]
    assert_problem(refused, 409)
    assert_problem(
        await bookings_client.post(f"/bookings/{failed_id}/cancel", headers=user.headers), 409
    )
    assert_problem(
        await bookings_client.post(f"/bookings/{uuid.uuid4()}/cancel", headers=user.headers), 404
    )
    by_admin = await bookings_client.post(path, headers=bearer(admin_token))
    assert by_admin.json()["status"] == "cancelled"
    await assert_event_accounting(event_store, booking_app.state.sessions, event["id"])


async def test_cancel_after_the_event_started_conflicts(
    bookings_client: httpx.AsyncClient,
    booking_app: FastAPI,
    event: dict[str, Any],
    user: TestUser,
    event_store: EventStore,
) -> None:
    booking = (await book(bookings_client, user.headers, event["id"], tickets=2)).json()
    started = datetime.now(UTC) - timedelta(minutes=1)
    await event_store.events.update_one(
        {"_id": ObjectId(event["id"])}, {"$set": {"starts_at": started, "ends_at": None}}
    )
    async with booking_app.state.sessions() as session:
        await session.execute(
            update(Booking)
            .where(Booking.id == uuid.UUID(booking["id"]))
            .values(event_starts_at=started)
        )
        await session.commit()

    response = await bookings_client.post(f"/bookings/{booking['id']}/cancel", headers=user.headers)

    assert_problem(response, 409)
    assert await available(event_store, event["id"]) == 8
