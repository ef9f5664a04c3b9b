"""End to end: a booking made in booking-service reaches the user's inbox, their mailbox (over
SMTP) and their open WebSocket, through the real outbox relay and notification-service served
by uvicorn."""

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from websockets.asyncio.client import connect

from booking_service.config import BookingSettings
from booking_service.main import create_app as create_booking_app
from notification_service.config import NotificationSettings
from tests.harness.postgres import create_database, drop_database, unique_database_name
from tests.harness.smtp import SmtpSink
from tests.notification_service.helpers import next_message, wait_for_messages, ws_url
from tests.utils.asgi import running_client
from tests.utils.events import create_event
from tests.utils.inprocess import serve
from tests.utils.routing import RoutingTransport
from tests.utils.users import TestUser


@pytest.fixture
def booking_database_url(postgres_admin_url: str) -> Iterator[str]:
    name = unique_database_name("bookings_e2e")
    yield create_database(postgres_admin_url, name)
    drop_database(postgres_admin_url, name)


async def test_booking_is_in_the_inbox_the_mailbox_and_pushed_live(
    booking_database_url: str,
    user_app: FastAPI,
    event_app: FastAPI,
    events_client: httpx.AsyncClient,
    make_notification_settings: Callable[..., NotificationSettings],
    make_notification_app: Callable[[NotificationSettings], FastAPI],
    smtp_sink: SmtpSink,
    organizer: TestUser,
    user: TestUser,
) -> None:
    notification_app = make_notification_app(make_notification_settings())
    event = await create_event(
        events_client,
        organizer.headers,
        title="Jazz Night",
        price="30.00",
        city="Paris",
        starts_at="2030-06-14T17:30:00Z",
        ends_at=None,
        timezone="Europe/Paris",
    )
    async with serve(notification_app) as notifications_url:
        network = RoutingTransport()
        network.add("http://localhost:8000", httpx.ASGITransport(app=user_app))
        network.add("http://localhost:8001", httpx.ASGITransport(app=event_app))
        network.add("http://localhost:8003", httpx.ASGITransport(app=notification_app))
        booking_settings = BookingSettings(
            env="test",
            booking_database_url=booking_database_url,
            outbox_poll_seconds=0.05,
            recovery_interval_seconds=3600,
        )
        booking_app = create_booking_app(booking_settings, http_transport=network)
        async with (
            running_client(booking_app, "http://localhost:8002") as bookings,
            connect(ws_url(notifications_url, user.token), proxy=None) as socket,
        ):
            await next_message(socket, "subscribed")
            booked = await bookings.post(
                "/bookings", json={"event_id": event["id"], "tickets": 3}, headers=user.headers
            )
            assert booked.status_code == 201, booked.text
            booking: dict[str, Any] = booked.json()
            pushed = (await next_message(socket))["notification"]

        async with httpx.AsyncClient(base_url=notifications_url) as client:
            inbox = await client.get(f"/notifications/{user.email}", headers=user.headers)

    (message,) = await wait_for_messages(smtp_sink, user.email)
    assert pushed["kind"] == "booking_confirmed"
    assert pushed["dedupe_key"] == f"booking_confirmed:{booking['id']}"
    assert pushed["data"]["booking_id"] == booking["id"]
    assert [notification["id"] for notification in inbox.json()] == [pushed["id"]]
    assert message["Subject"] == "Booking confirmed: Jazz Night"
    # booking-service sent facts; notification-service wrote the words, in the event's zone.
    assert pushed["body"] == (
        "Your booking of 3 tickets for Jazz Night on Fri 14 June 2030, 19:30 CEST at Town Hall, "
        f"Paris is confirmed. Total: 90.00 EUR. Booking reference: {booking['id']}."
    )
    html = message.get_body(("html",))
    text = message.get_body(("plain",))
    assert html is not None
    assert text is not None
    for shown in ("Jazz Night", "90.00 EUR", booking["id"], "Tickets"):
        assert shown in html.get_content()
    for part in (html.get_content(), text.get_content()):
        assert "Fri 14 June 2030, 19:30 CEST" in part
