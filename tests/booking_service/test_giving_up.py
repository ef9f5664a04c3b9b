"""Recovery gives up on a booking that can never be completed, and never leaves tickets held.

A booking whose saga fails for good (the store cannot hold the event's details, a dependency
refuses the request, the event is gone) is failed, its tickets released and its buyer told with
a `booking_failed` notice, instead of being retried on every pass. A failure a later pass may
get past (a service down) keeps it pending. A reservation landing for a booking failed
meanwhile is released, and a release that overtakes a late reservation bars it.
"""

from typing import Any

import httpx
import pytest
from bson import ObjectId

from booking_service.clients.errors import (
    DependencyUnavailableError,
    OutcomeUnknownError,
    TicketsUnavailableError,
)
from booking_service.models import Booking
from booking_service.service import saga as steps
from booking_service.service.failures import BookingNotCompletedError
from booking_service.statuses import BookingStatus
from event_service.models import EventStore
from tests.booking_service.conftest import Faults
from tests.utils.bookings import assert_event_accounting, available, outbox_for
from tests.utils.events import create_event
from tests.utils.saga import Saga, booking_request
from tests.utils.users import TestUser

UNSTORABLE_TITLE = "Spring\x00Concert"


@pytest.fixture
async def event(events_client: httpx.AsyncClient, organizer: TestUser) -> dict[str, Any]:
    return await create_event(events_client, organizer.headers, total_tickets=10)


async def _give_the_event_a_title_postgresql_cannot_hold(
    event_store: EventStore, event: dict[str, Any]
) -> None:
    """As stored before event-service refused control characters in titles."""
    await event_store.events.update_one(
        {"_id": ObjectId(event["id"])}, {"$set": {"title": UNSTORABLE_TITLE}}
    )


async def _failure_notices(saga: Saga, booking: Booking) -> list[dict[str, Any]]:
    messages = await outbox_for(saga.sessions, str(booking.id))
    return [message.payload for message in messages if message.kind == "booking_failed"]


async def _reserve_late(saga: Saga, event: dict[str, Any], booking: Booking) -> None:
    """The booking's reservation reaching event-service only now."""
    await saga.clients.events.reserve(
        event_id=event["id"], tickets=booking.tickets, reference=str(booking.id)
    )


async def _fail_by_the_request(saga: Saga, booking: Booking, error: Exception) -> None:
    async with saga.sessions() as session:
        assert isinstance(error, DependencyUnavailableError)
        await steps.fail(
            session=session,
            booking_id=booking.id,
            error=error,
            release_pending=steps.may_hold_tickets(error, resumed=False),
        )


async def test_recovery_gives_up_on_a_booking_the_store_cannot_record_and_releases_its_tickets(
    saga: Saga, event: dict[str, Any], user: TestUser, event_store: EventStore
) -> None:
    await _give_the_event_a_title_postgresql_cannot_hold(event_store, event)
    booking = await saga.interrupted(user.id, event["id"], tickets=3)

    assert await saga.recover() == (0, 1, 0, 0)
    failed = await saga.stored(booking.id)
    assert (failed.status, failed.failure_reason) == (BookingStatus.FAILED, "booking-not-completed")
    assert failed.release_pending is True
    assert await saga.recover() == (0, 0, 1, 0)
    assert await saga.recover() == (0, 0, 0, 0)

    assert await available(event_store, event["id"]) == 10
    [notice] = await _failure_notices(saga, booking)
    assert notice["user_email"] == user.email
    assert notice["data"] == {"booking_id": str(booking.id), "event_id": event["id"], "tickets": 3}
    await assert_event_accounting(event_store, saga.sessions, event["id"])


async def test_booking_the_store_cannot_record_is_refused_at_once_and_its_tickets_released(
    saga: Saga, event: dict[str, Any], user: TestUser, event_store: EventStore
) -> None:
    await _give_the_event_a_title_postgresql_cannot_hold(event_store, event)
    request = booking_request(user.id, event["id"], tickets=2)

    with pytest.raises(BookingNotCompletedError) as refused:
        await saga.place(request)

    assert refused.value.status == 409
    assert request.idempotency_key is not None
    failed = await saga.stored_by_key(request.idempotency_key)
    assert (failed.status, failed.release_pending) == (BookingStatus.FAILED, True)
    assert await saga.recover() == (0, 0, 1, 0)
    assert await available(event_store, event["id"]) == 10
    assert await _failure_notices(saga, failed) == []  # the request answered the buyer


async def test_recovery_gives_up_when_event_service_refuses_the_reservation_for_good(
    saga: Saga, event: dict[str, Any], user: TestUser, faults: Faults, event_store: EventStore
) -> None:
    booking = await saga.interrupted(user.id, event["id"], tickets=2)
    faults.events.fail("refuse-422")

    assert await saga.recover() == (0, 1, 0, 0)
    faults.heal()
    assert await saga.recover() == (0, 0, 0, 0)  # the release finds nothing held

    failed = await saga.stored(booking.id)
    assert (failed.status, failed.failure_reason) == (BookingStatus.FAILED, "dependency-refused")
    assert failed.release_pending is False
    assert [notice["user_email"] for notice in await _failure_notices(saga, booking)] == [
        user.email
    ]
    with pytest.raises(TicketsUnavailableError) as barred:
        await _reserve_late(saga, event, booking)
    assert barred.value.reason == "released"
    assert await available(event_store, event["id"]) == 10


async def test_recovery_gives_up_on_a_booking_whose_event_is_gone_and_tells_the_buyer(
    saga: Saga, event: dict[str, Any], user: TestUser, event_store: EventStore
) -> None:
    booking = await saga.interrupted(user.id, event["id"], tickets=1)
    await event_store.events.delete_one({"_id": ObjectId(event["id"])})

    assert await saga.recover() == (0, 1, 0, 0)
    assert await saga.recover() == (0, 0, 0, 0)

    failed = await saga.stored(booking.id)
    assert (failed.status, failed.failure_reason) == (BookingStatus.FAILED, "event-not-found")
    [notice] = await _failure_notices(saga, booking)
    assert (notice["user_email"], notice["data"]["event_id"]) == (user.email, event["id"])


async def test_recovery_keeps_a_booking_pending_while_event_service_answers_503(
    saga: Saga, event: dict[str, Any], user: TestUser, faults: Faults, event_store: EventStore
) -> None:
    booking = await saga.interrupted(user.id, event["id"], tickets=1)
    faults.events.fail("error-503")

    assert await saga.recover() == (0, 0, 0, 1)
    assert await saga.recover() == (0, 0, 0, 1)
    faults.heal()
    assert await saga.recover() == (1, 0, 0, 0)

    assert (await saga.stored(booking.id)).status == BookingStatus.CONFIRMED
    assert await _failure_notices(saga, booking) == []
    await assert_event_accounting(event_store, saga.sessions, event["id"])


async def test_reservation_by_recovery_for_a_booking_its_request_failed_meanwhile_is_released(
    saga: Saga, event: dict[str, Any], user: TestUser, event_store: EventStore
) -> None:
    booking = await saga.interrupted(user.id, event["id"], tickets=4)
    reservation = await steps.reserve(clients=saga.clients, booking=booking)  # recovery's replay
    await _fail_by_the_request(  # the request gives up on user-service meanwhile
        saga, booking, DependencyUnavailableError("user-service", "no answer in time")
    )

    async with saga.sessions() as session:
        confirmed = await steps.confirm(session=session, booking=booking, reservation=reservation)

    assert confirmed is False
    assert await available(event_store, event["id"]) == 6
    assert (await saga.stored(booking.id)).release_pending is True
    assert await saga.recover() == (0, 0, 1, 0)
    assert await available(event_store, event["id"]) == 10
    await assert_event_accounting(event_store, saga.sessions, event["id"])


async def test_release_after_a_timeout_bars_the_reservation_that_lands_late(
    saga: Saga, event: dict[str, Any], user: TestUser, event_store: EventStore
) -> None:
    booking = await saga.interrupted(user.id, event["id"], tickets=2)
    await _fail_by_the_request(  # its reservation is still on its way to event-service
        saga, booking, OutcomeUnknownError("event-service", "no answer in time")
    )
    assert (await saga.stored(booking.id)).release_pending is True

    assert await saga.recover() == (0, 0, 0, 0)  # released before it reserved anything
    with pytest.raises(TicketsUnavailableError) as late:
        await _reserve_late(saga, event, booking)

    assert late.value.reason == "released"
    assert (await saga.stored(booking.id)).release_pending is False
    assert await available(event_store, event["id"]) == 10
    await assert_event_accounting(event_store, saga.sessions, event["id"])


async def test_reservations_delayed_in_the_network_past_the_release_take_nothing(
    saga: Saga, event: dict[str, Any], user: TestUser, faults: Faults, event_store: EventStore
) -> None:
    request = booking_request(user.id, event["id"], tickets=3)
    faults.events.fail("withheld")
    with pytest.raises(OutcomeUnknownError):
        await saga.place(request)  # every attempt is still on its way when the budget runs out
    faults.heal()
    assert request.idempotency_key is not None
    booking = await saga.stored_by_key(request.idempotency_key)

    assert await saga.recover() == (0, 0, 0, 0)  # released before any reservation arrived
    late = await faults.events.deliver_withheld()

    assert late
    assert {(response.status_code, response.json()["reason"]) for response in late} == {
        (409, "released")
    }
    stored = await saga.stored(booking.id)
    assert (stored.status, stored.release_pending) == (BookingStatus.FAILED, False)
    assert await available(event_store, event["id"]) == 10
    await assert_event_accounting(event_store, saga.sessions, event["id"])
