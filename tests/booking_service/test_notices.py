"""The notices a booking sends carry facts only, the same facts at confirmation and
cancellation, with the event's time zone; notification-service's contract decides what passes."""

from typing import Any

import httpx
from fastapi import FastAPI

from tests.utils.bookings import book, outbox_for
from tests.utils.events import create_event
from tests.utils.notifications import RecordingNotifications
from tests.utils.users import TestUser
from tests.utils.waiting import eventually


async def test_confirmation_and_cancellation_carry_the_same_facts_with_the_event_time_zone(
    bookings_client: httpx.AsyncClient,
    booking_app: FastAPI,
    events_client: httpx.AsyncClient,
    organizer: TestUser,
    user: TestUser,
    notifications: RecordingNotifications,
) -> None:
    event = await create_event(
        events_client,
        organizer.headers,
        title="Brussels Jazz",
        starts_at="2030-06-14T19:30:00+02:00",
        ends_at=None,
        timezone="Europe/Brussels",
        price="12.50",
    )
    booked = await book(bookings_client, user.headers, event["id"], tickets=2)
    assert booked.status_code == 201, booked.text
    booking = booked.json()

    cancelled = await bookings_client.post(
        f"/bookings/{booking['id']}/cancel", headers=user.headers
    )

    assert booking["event_timezone"] == "Europe/Brussels"
    assert cancelled.json()["event_timezone"] == "Europe/Brussels"
    sessions = booking_app.state.sessions

    async def both_delivered() -> bool:
        return [m.status for m in await outbox_for(sessions, booking["id"])] == ["delivered"] * 2

    await eventually(both_delivered)
    notices = {n["kind"]: n for n in notifications.for_booking(booking["id"])}
    assert set(notices) == {"booking_confirmed", "booking_cancelled"}
    facts: dict[str, Any] = {
        "booking_id": booking["id"],
        "event_id": event["id"],
        "event_title": "Brussels Jazz",
        "starts_at": "2030-06-14T17:30:00+00:00",
        "timezone": "Europe/Brussels",
        "venue": "Town Hall",
        "city": "Ghent",
        "tickets": 2,
        "unit_price": "12.50",
        "total_price": "25.00",
        "currency": "EUR",
    }
    for notice in notices.values():
        assert notice["data"] == facts
        assert not {"subject", "body"} & set(notice)


async def test_event_without_time_zone_gives_bookings_and_notices_utc(
    bookings_client: httpx.AsyncClient,
    booking_app: FastAPI,
    events_client: httpx.AsyncClient,
    organizer: TestUser,
    user: TestUser,
    notifications: RecordingNotifications,
) -> None:
    event = await create_event(events_client, organizer.headers, city=None)

    booking = (await book(bookings_client, user.headers, event["id"])).json()

    assert booking["event_timezone"] == "UTC"
    sessions = booking_app.state.sessions

    async def delivered() -> bool:
        return [m.status for m in await outbox_for(sessions, booking["id"])] == ["delivered"]

    await eventually(delivered)
    [notice] = notifications.for_booking(booking["id"])
    assert notice["data"]["timezone"] == "UTC"
    assert "city" not in notice["data"]


async def test_stand_in_refuses_what_notification_service_would_refuse() -> None:
    stand_in = RecordingNotifications()
    facts = {
        "booking_id": "b-1",
        "event_id": "e-1",
        "event_title": "Jazz",
        "starts_at": "2030-06-14T17:30:00+00:00",
        "tickets": 1,
        "unit_price": "10.00",
        "total_price": "10.00",
        "currency": "EUR",
    }
    worded = {"subject": "Booking confirmed", "body": "Your booking is confirmed."}
    notice = {"user_email": "ada@example.com", "kind": "booking_confirmed", "data": facts}

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=stand_in.app), base_url="http://notifications"
    ) as client:
        headers = {"Authorization": "Bearer token"}
        refused = await client.post("/notifications", json={**notice, **worded}, headers=headers)
        accepted = await client.post("/notifications", json=notice, headers=headers)

    assert (refused.status_code, accepted.status_code) == (422, 201)
    assert [payload for payload, _ in stand_in.rejected] == [{**notice, **worded}]
    assert stand_in.for_booking("b-1") == [notice]
