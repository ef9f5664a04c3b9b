"""The booking saga's state machine, through the service functions (no HTTP in front):

pending -> confirmed | failed | failed with release_pending
recovery: pending -> confirmed | failed | (left pending while event-service is down);
          release_pending -> released
"""

import uuid
from decimal import Decimal
from typing import Any

import httpx
import pytest

from booking_service.clients.errors import OutcomeUnknownError, TicketsUnavailableError
from booking_service.service.cancelling import cancel_booking
from booking_service.service.replays import StoredProblemError, settled_answer
from booking_service.statuses import BookingStatus
from event_service.models import EventStore
from tests.booking_service.conftest import Faults
from tests.utils.bookings import assert_event_accounting, available, outbox_for
from tests.utils.events import create_event
from tests.utils.saga import Saga, booking_request
from tests.utils.users import TestUser


@pytest.fixture
async def event(events_client: httpx.AsyncClient, organizer: TestUser) -> dict[str, Any]:
    return await create_event(events_client, organizer.headers, total_tickets=10, price="25.00")


async def test_placed_booking_is_confirmed_with_its_notice(
    saga: Saga, event: dict[str, Any], user: TestUser, event_store: EventStore
) -> None:
    booking = await saga.place(booking_request(user.id, event["id"], tickets=2))

    stored = await saga.stored(booking.id)
    assert (stored.status, stored.release_pending) == (BookingStatus.CONFIRMED, False)
    assert (stored.user_email, stored.total_price) == (user.email, Decimal("50.00"))
    assert [m.kind for m in await outbox_for(saga.sessions, str(booking.id))] == [
        "booking_confirmed"
    ]
    assert await available(event_store, event["id"]) == 8


async def test_refused_reservation_fails_the_booking_holding_nothing(
    saga: Saga, event: dict[str, Any], user: TestUser, event_store: EventStore
) -> None:
    request = booking_request(user.id, event["id"], tickets=11)
    with pytest.raises(TicketsUnavailableError):
        await saga.place(request)

    assert request.idempotency_key is not None
    stored = await saga.stored_by_key(request.idempotency_key)
    assert (stored.status, stored.release_pending) == (BookingStatus.FAILED, False)
    assert stored.failure_reason == "insufficient"
    with pytest.raises(StoredProblemError) as answered:
        settled_answer(stored)
    assert answered.value.status == 409
    assert await outbox_for(saga.sessions, str(stored.id)) == []
    assert await available(event_store, event["id"]) == 10


async def test_unknown_reservation_outcome_fails_with_release_pending_until_recovery_releases(
    saga: Saga, event: dict[str, Any], user: TestUser, faults: Faults, event_store: EventStore
) -> None:
    request = booking_request(user.id, event["id"], tickets=3)
    faults.events.fail("timeout-after-applying")
    with pytest.raises(OutcomeUnknownError):
        await saga.place(request)
    faults.heal()
    assert request.idempotency_key is not None
    stored = await saga.stored_by_key(request.idempotency_key)
    assert (stored.status, stored.release_pending) == (BookingStatus.FAILED, True)
    assert await available(event_store, event["id"]) == 7

    assert await saga.recover() == (0, 0, 1, 0)

    stored = await saga.stored(stored.id)
    assert (stored.status, stored.release_pending) == (BookingStatus.FAILED, False)
    assert await available(event_store, event["id"]) == 10
    await assert_event_accounting(event_store, saga.sessions, event["id"])


async def test_recovery_confirms_an_interrupted_booking_that_was_reserved(
    saga: Saga, event: dict[str, Any], user: TestUser, event_store: EventStore
) -> None:
    booking = await saga.interrupted(user.id, event["id"], tickets=2)
    await saga.clients.events.reserve(event_id=event["id"], tickets=2, reference=str(booking.id))

    assert await saga.recover() == (1, 0, 0, 0)

    stored = await saga.stored(booking.id)
    assert (stored.status, stored.user_email) == (BookingStatus.CONFIRMED, user.email)
    assert await available(event_store, event["id"]) == 8
    await assert_event_accounting(event_store, saga.sessions, event["id"])


async def test_recovery_fails_an_interrupted_booking_event_service_refuses(
    saga: Saga, event: dict[str, Any], user: TestUser, event_store: EventStore
) -> None:
    booking = await saga.interrupted(user.id, event["id"], tickets=11)

    assert await saga.recover() == (0, 1, 0, 0)

    stored = await saga.stored(booking.id)
    assert (stored.status, stored.release_pending) == (BookingStatus.FAILED, False)
    assert await available(event_store, event["id"]) == 10
    await assert_event_accounting(event_store, saga.sessions, event["id"])


async def test_recovery_fails_the_booking_of_a_vanished_user_and_releases_its_tickets(
    saga: Saga, event: dict[str, Any], event_store: EventStore
) -> None:
    vanished = str(uuid.uuid4())
    booking = await saga.interrupted(vanished, event["id"], tickets=4)
    await saga.clients.events.reserve(event_id=event["id"], tickets=4, reference=str(booking.id))

    assert await saga.recover() == (0, 1, 0, 0)
    assert (await saga.stored(booking.id)).release_pending is True
    assert await saga.recover() == (0, 0, 1, 0)

    stored = await saga.stored(booking.id)
    assert (stored.status, stored.failure_reason) == (BookingStatus.FAILED, "user-not-found")
    assert await available(event_store, event["id"]) == 10
    await assert_event_accounting(event_store, saga.sessions, event["id"])


async def test_recovery_leaves_an_interrupted_booking_pending_while_event_service_is_down(
    saga: Saga, event: dict[str, Any], user: TestUser, faults: Faults, event_store: EventStore
) -> None:
    booking = await saga.interrupted(user.id, event["id"], tickets=1)
    faults.events.fail("down")

    assert await saga.recover() == (0, 0, 0, 1)
    assert (await saga.stored(booking.id)).status == BookingStatus.PENDING
    faults.heal()
    assert await saga.recover() == (1, 0, 0, 0)

    assert (await saga.stored(booking.id)).status == BookingStatus.CONFIRMED
    await assert_event_accounting(event_store, saga.sessions, event["id"])


async def test_cancellation_is_recorded_first_and_recovery_releases_what_event_service_did_not(
    saga: Saga, event: dict[str, Any], user: TestUser, faults: Faults, event_store: EventStore
) -> None:
    booking = await saga.place(booking_request(user.id, event["id"], tickets=2))
    faults.events.fail("down")

    cancelled = await cancel_booking(sessions=saga.sessions, clients=saga.clients, booking=booking)

    assert (cancelled.status, cancelled.release_pending) == (BookingStatus.CANCELLED, True)
    assert await available(event_store, event["id"]) == 8
    faults.heal()
    assert await saga.recover() == (0, 0, 1, 0)
    assert (await saga.stored(booking.id)).release_pending is False
    assert await available(event_store, event["id"]) == 10
    await assert_event_accounting(event_store, saga.sessions, event["id"])
