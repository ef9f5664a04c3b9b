"""The outbox relay claims a batch in one statement: relays racing never share a message."""

import asyncio
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
from fastapi import FastAPI

from booking_service.clients.notifications import NotificationsClient
from booking_service.models import Booking
from booking_service.service.notices import booking_notice
from booking_service.service.outbox import OutboxRelay
from booking_service.statuses import BookingStatus
from tests.utils.notifications import RecordingNotifications
from tests.utils.waiting import eventually

MESSAGES = 40


def _confirmed_booking() -> Booking:
    return Booking(
        id=uuid.uuid4(),
        user_id=uuid.uuid4(),
        user_email="racer@example.com",
        event_id="0123456789abcdef01234567",
        event_title="Relay Race",
        event_starts_at=datetime.now(UTC) + timedelta(days=3),
        event_timezone="UTC",
        tickets=1,
        unit_price=Decimal("5.00"),
        total_price=Decimal("5.00"),
        currency="EUR",
        status=BookingStatus.CONFIRMED,
        created_by="racer",
    )


class _Bearer(httpx.Auth):
    def auth_flow(self, request: httpx.Request) -> Iterator[httpx.Request]:
        request.headers["Authorization"] = "Bearer stand-in"
        yield request


def _relay(app: FastAPI, notifications: RecordingNotifications, batch: int) -> OutboxRelay:
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=notifications.app))
    return OutboxRelay(
        sessions=app.state.sessions,
        notifications=NotificationsClient(
            http=http, base_url="http://localhost:8003", auth=_Bearer()
        ),
        poll_seconds=3600,
        batch_size=batch,
        max_attempts=3,
        backoff_base_seconds=1,
        backoff_max_seconds=1,
        lease_seconds=60,
    )


async def test_two_relays_racing_deliver_each_message_once(
    booking_app: FastAPI,
    bookings_client: httpx.AsyncClient,  # the app's lifespan, and its own relay, run
    notifications: RecordingNotifications,
) -> None:
    bookings = [_confirmed_booking() for _ in range(MESSAGES)]
    async with booking_app.state.sessions() as session:
        session.add_all(booking_notice(booking, "booking_confirmed") for booking in bookings)
        await session.commit()
    posts = notifications.posts
    first, second = (_relay(booking_app, notifications, batch=7) for _ in range(2))

    async def drain(relay: OutboxRelay) -> None:
        while await relay.deliver_due():
            pass

    await asyncio.gather(drain(first), drain(second))

    # The app's own relay (polling every 50 ms) races too: a batch it claimed may still be on
    # its way when the two drains find nothing left.
    async def all_delivered() -> bool:
        return all(notifications.for_booking(str(booking.id)) for booking in bookings)

    await eventually(all_delivered)
    await asyncio.sleep(0.2)  # a second delivery of any of them would show by now
    sent = [len(notifications.for_booking(str(booking.id))) for booking in bookings]
    assert sent == [1] * MESSAGES
    assert notifications.posts - posts == MESSAGES  # none sent twice, even deduplicated
