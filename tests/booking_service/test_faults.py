"""Dependencies failing under a booking: nothing is lost and no ticket stays held."""

import time
import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from booking_service.models import Booking
from booking_service.service.recovery import RecoveryReport, recover_bookings
from event_service.models import EventStore
from service_kit.clock import utcnow
from tests.booking_service.conftest import Faults, MakeBookingSettings
from tests.utils.bookings import (
    assert_event_accounting,
    available,
    book,
    outbox_for,
)
from tests.utils.events import change_tickets, create_event
from tests.utils.notifications import RecordingNotifications
from tests.utils.users import TestUser, assert_problem
from tests.utils.waiting import eventually


@pytest.fixture
async def event(events_client: httpx.AsyncClient, organizer: TestUser) -> dict[str, Any]:
    return await create_event(events_client, organizer.headers, total_tickets=10)


async def _recover(app: FastAPI) -> RecoveryReport:
    return await recover_bookings(
        sessions=app.state.sessions, clients=app.state.clients, grace=timedelta(0)
    )


async def test_event_service_down_is_503_naming_it_and_nothing_reserved(
    bookings_client: httpx.AsyncClient,
    booking_app: FastAPI,
    event: dict[str, Any],
    user: TestUser,
    faults: Faults,
    event_store: EventStore,
) -> None:
    faults.events.fail("down")

    response = await book(bookings_client, user.headers, event["id"], tickets=2)

    body = assert_problem(response, 503)
    assert body["dependency"] == "event-service"
    assert response.headers["retry-after"]
    faults.heal()
    assert await available(event_store, event["id"]) == 10
    await assert_event_accounting(event_store, booking_app.state.sessions, event["id"])


async def test_user_service_down_is_503_naming_it(
    bookings_client: httpx.AsyncClient,
    event: dict[str, Any],
    user: TestUser,
    faults: Faults,
    event_store: EventStore,
) -> None:
    await book(bookings_client, user.headers, event["id"])  # keys and token cached
    faults.users.fail("down")

    response = await book(bookings_client, user.headers, event["id"])

    assert assert_problem(response, 503)["dependency"] == "user-service"
    assert await available(event_store, event["id"]) == 9


async def test_timeout_after_the_reservation_applied_confirms_once(
    bookings_client: httpx.AsyncClient,
    booking_app: FastAPI,
    event: dict[str, Any],
    user: TestUser,
    faults: Faults,
    event_store: EventStore,
) -> None:
    faults.events.fail("timeout-after-applying", times=1)

    response = await book(bookings_client, user.headers, event["id"], tickets=3)

    assert response.status_code == 201, response.text
    assert await available(event_store, event["id"]) == 7
    await assert_event_accounting(event_store, booking_app.state.sessions, event["id"])


async def test_reservation_outcome_unknown_then_recovery_releases_the_tickets(
    bookings_client: httpx.AsyncClient,
    booking_app: FastAPI,
    event: dict[str, Any],
    user: TestUser,
    faults: Faults,
    event_store: EventStore,
) -> None:
    faults.events.fail("timeout-after-applying")

    response = await book(bookings_client, user.headers, event["id"], tickets=4)

    assert assert_problem(response, 503)["dependency"] == "event-service"
    assert await available(event_store, event["id"]) == 6  # held while the outcome is unknown
    faults.heal()
    report = await _recover(booking_app)
    assert (report.confirmed, report.failed, report.released, report.deferred) == (0, 0, 1, 0)
    assert await available(event_store, event["id"]) == 10
    await assert_event_accounting(event_store, booking_app.state.sessions, event["id"])


async def test_notifications_survive_an_outage_and_arrive_once(
    bookings_client: httpx.AsyncClient,
    booking_app: FastAPI,
    event: dict[str, Any],
    user: TestUser,
    faults: Faults,
    notifications: RecordingNotifications,
) -> None:
    faults.notifications.fail("down")
    made = [await book(bookings_client, user.headers, event["id"]) for _ in range(3)]
    ids = [response.json()["id"] for response in made]
    sessions = booking_app.state.sessions

    async def retried() -> bool:
        messages = [m for booking_id in ids for m in await outbox_for(sessions, booking_id)]
        return len(messages) == 3 and all(
            m.attempts >= 2 and m.status == "pending" for m in messages
        )

    await eventually(retried)
    faults.heal()

    async def delivered() -> bool:
        messages = [m for booking_id in ids for m in await outbox_for(sessions, booking_id)]
        return [m.status for m in messages] == ["delivered"] * 3

    await eventually(delivered)
    for booking_id in ids:
        assert len(notifications.for_booking(booking_id)) == 1


async def test_notification_service_failing_gives_up_after_max_attempts(
    bookings_client: httpx.AsyncClient,
    booking_app: FastAPI,
    event: dict[str, Any],
    user: TestUser,
    faults: Faults,
) -> None:
    faults.notifications.fail("error-503")
    booking = (await book(bookings_client, user.headers, event["id"])).json()
    sessions = booking_app.state.sessions
    maximum = booking_app.state.settings.outbox_max_attempts

    async def dead() -> bool:
        return [m.status for m in await outbox_for(sessions, booking["id"])] == ["dead"]

    await eventually(dead, within=maximum * 0.3 + 5)
    [message] = await outbox_for(sessions, booking["id"])
    assert message.attempts == maximum
    assert "503" in (message.last_error or "")


async def test_crash_between_reservation_and_confirmation_is_recovered(
    booking_app: FastAPI,
    event: dict[str, Any],
    user: TestUser,
    event_store: EventStore,
    events_client: httpx.AsyncClient,
    service_headers: dict[str, str],
) -> None:
    sessions = booking_app.state.sessions
    reserved_then_crashed = Booking(
        user_id=uuid.UUID(user.id), event_id=event["id"], tickets=2, created_by=user.id
    )
    crashed_before_reserving = Booking(
        user_id=uuid.UUID(user.id), event_id=event["id"], tickets=1, created_by=user.id
    )
    async with sessions() as session:
        session.add_all([reserved_then_crashed, crashed_before_reserving])
        await session.commit()
    await change_tickets(
        events_client, event["id"], service_headers, -2, str(reserved_then_crashed.id)
    )
    assert await available(event_store, event["id"]) == 8

    started = time.perf_counter()
    report = await _recover(booking_app)
    took = time.perf_counter() - started

    assert (report.confirmed, report.failed, report.released, report.deferred) == (2, 0, 0, 0)
    async with sessions() as session:
        for booking in (reserved_then_crashed, crashed_before_reserving):
            recovered = await session.get(Booking, booking.id, populate_existing=True)
            assert recovered is not None
            assert recovered.status == "confirmed"
    assert await available(event_store, event["id"]) == 7
    await assert_event_accounting(event_store, sessions, event["id"])
    print(f"\nrecovery settled {report.confirmed} bookings in {took * 1000:.0f} ms")


async def test_recovery_at_restart_fails_bookings_it_cannot_fill(
    event: dict[str, Any],
    user: TestUser,
    event_store: EventStore,
    booking_app: FastAPI,
    make_booking_settings: MakeBookingSettings,
    booking_transport: httpx.AsyncBaseTransport,
    events_client: httpx.AsyncClient,
    service_headers: dict[str, str],
) -> None:
    from booking_service.main import create_app
    from tests.utils.asgi import running_client

    sessions = booking_app.state.sessions
    too_big = Booking(
        user_id=uuid.UUID(user.id), event_id=event["id"], tickets=11, created_by=user.id
    )
    async with sessions() as session:
        session.add(too_big)
        await session.commit()
        await session.execute(
            update(Booking)
            .where(Booking.id == too_big.id)
            .values(updated_at=utcnow() - timedelta(minutes=5))
        )
        await session.commit()

    restarted = create_app(
        make_booking_settings(recovery_interval_seconds=0.05), http_transport=booking_transport
    )
    async with running_client(restarted) as client:

        async def failed() -> bool:
            async with sessions() as session:
                found = await session.get(Booking, too_big.id, populate_existing=True)
            return found is not None and found.status == "failed"

        await eventually(failed)
        assert (await client.get("/readyz")).status_code == 200
    await assert_event_accounting(event_store, sessions, event["id"])


async def test_cancellation_whose_release_answer_is_lost_never_oversells(
    bookings_client: httpx.AsyncClient,
    booking_app: FastAPI,
    events_client: httpx.AsyncClient,
    organizer: TestUser,
    user: TestUser,
    other_user: TestUser,
    faults: Faults,
    event_store: EventStore,
) -> None:
    small = await create_event(events_client, organizer.headers, total_tickets=2)
    first = (await book(bookings_client, user.headers, small["id"], tickets=2)).json()
    faults.events.fail("timeout-after-applying")

    cancelled = await bookings_client.post(f"/bookings/{first['id']}/cancel", headers=user.headers)

    assert cancelled.json()["status"] == "cancelled"
    faults.heal()
    second = await book(bookings_client, other_user.headers, small["id"], tickets=2)
    assert second.status_code == 201
    await _recover(booking_app)
    assert await available(event_store, small["id"]) == 0
    await assert_event_accounting(event_store, booking_app.state.sessions, small["id"])
