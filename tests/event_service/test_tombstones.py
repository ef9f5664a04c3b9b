"""A release that arrives before its reservation: it bars the reference with a tombstone.

Whatever the order of a release and a reservation with the same reference, no tickets stay held
that nobody will release. Driven through the service layer on a store of each test's own.
"""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import partial

import pytest

from event_service.errors import ChangeInProgressError, RefusalReason, TicketConflictError
from event_service.models import Document, EventStore, LedgerState, TicketDirection
from event_service.schemas import TicketChange
from event_service.service import inventory
from event_service.service.repair import repair_ticket_ledger
from tests.utils.events import (
    assert_accounting_holds,
    insert_event,
    interrupted_entry,
    ledger_entries,
    move_counter,
    set_counters,
)

RACING_REFERENCES = 40


async def _change(store: EventStore, event: Document, delta: int, reference: str) -> Document:
    return await inventory.change_tickets(
        store=store,
        event_id=str(event["_id"]),
        change=TicketChange(delta=delta, reference=reference),
    )


async def _refusal(store: EventStore, event: Document, delta: int, reference: str) -> str:
    """The reason event-service refuses this change with (the test fails if it is applied)."""
    with pytest.raises(TicketConflictError) as refused:
        await _change(store, event, delta, reference)
    return str(refused.value.extra["reason"])


EntryStates = dict[str, tuple[str, str | None]]


async def _states(store: EventStore, event: Document, reference: str) -> EntryStates:
    entries = await store.ledger.find({"event_id": event["_id"], "reference": reference}).to_list()
    return {entry["direction"]: (entry["state"], entry.get("reason")) for entry in entries}


async def _release_until_settled(store: EventStore, event: Document, reference: str) -> str:
    """Release as a caller does: again while the reservation is still being applied."""
    while True:
        try:
            await _change(store, event, 2, reference)
        except ChangeInProgressError:
            await asyncio.sleep(0.01)
            continue
        except TicketConflictError as refused:
            return str(refused.extra["reason"])
        return "released"


@pytest.fixture
def store(isolated_event_store: EventStore) -> EventStore:
    return isolated_event_store


@pytest.fixture
async def event(store: EventStore) -> Document:
    return await insert_event(store, total_tickets=10)


async def test_reservation_after_its_release_is_refused_as_released_and_takes_nothing(
    store: EventStore, event: Document
) -> None:
    release = await _refusal(store, event, 2, "t-1")

    reservation = await _refusal(store, event, -2, "t-1")

    assert (release, reservation) == (RefusalReason.NOT_RESERVED, RefusalReason.RELEASED)
    assert await _states(store, event, "t-1") == {
        TicketDirection.RESERVE: (LedgerState.REJECTED, RefusalReason.RELEASED),
        TicketDirection.RELEASE: (LedgerState.REJECTED, RefusalReason.NOT_RESERVED),
    }
    assert (await assert_accounting_holds(store, str(event["_id"])))["available_tickets"] == 10


async def test_barred_reference_refuses_a_reservation_of_any_quantity(
    store: EventStore, event: Document
) -> None:
    await _refusal(store, event, 2, "t-2")

    assert await _refusal(store, event, -5, "t-2") == RefusalReason.RELEASED


async def test_replayed_early_release_answers_the_same_and_keeps_one_tombstone(
    store: EventStore, event: Document
) -> None:
    first = await _refusal(store, event, 3, "t-3")
    entries = await ledger_entries(store, event["_id"])

    replay = await _refusal(store, event, 3, "t-3")

    assert first == replay == RefusalReason.NOT_RESERVED
    assert await ledger_entries(store, event["_id"]) == entries


async def test_release_after_a_refused_reservation_adds_no_tombstone(
    store: EventStore, event: Document
) -> None:
    await _refusal(store, event, -11, "t-4")

    assert await _refusal(store, event, 11, "t-4") == RefusalReason.NOT_RESERVED
    assert await _states(store, event, "t-4") == {
        TicketDirection.RESERVE: (LedgerState.REJECTED, RefusalReason.INSUFFICIENT),
        TicketDirection.RELEASE: (LedgerState.REJECTED, RefusalReason.NOT_RESERVED),
    }


async def test_release_of_an_interrupted_reservation_bars_it_from_being_taken_over(
    store: EventStore, event: Document
) -> None:
    await interrupted_entry(store, event["_id"], "t-5", 2, state=LedgerState.ABORTED)

    release = await _refusal(store, event, 2, "t-5")
    retry = await _refusal(store, event, -2, "t-5")

    assert (release, retry) == (RefusalReason.NOT_RESERVED, RefusalReason.RELEASED)
    assert (await assert_accounting_holds(store, str(event["_id"])))["available_tickets"] == 10


async def test_barred_reservation_whose_counter_change_lands_late_is_undone_by_its_holder(
    store: EventStore, event: Document
) -> None:
    entry = await interrupted_entry(store, event["_id"], "t-6", 2)
    await repair_ticket_ledger(store=store, grace=timedelta(0))  # aborted
    await _refusal(store, event, 2, "t-6")  # the release bars it
    late = await move_counter(store, entry)  # the first holder's step 2 lands now

    with pytest.raises(TicketConflictError) as answered:
        await inventory.settle(store=store, entry=entry, event=late)

    assert answered.value.extra["reason"] == RefusalReason.RELEASED
    assert (await assert_accounting_holds(store, str(event["_id"])))["available_tickets"] == 10


async def test_repair_undoes_a_barred_reservation_whose_counter_change_landed_late(
    store: EventStore, event: Document
) -> None:
    entry = await interrupted_entry(store, event["_id"], "t-7", 3)
    await repair_ticket_ledger(store=store, grace=timedelta(0))  # aborted
    await _refusal(store, event, 3, "t-7")  # the release bars it
    await move_counter(store, entry)  # the first holder's step 2 lands, then it dies

    report = await repair_ticket_ledger(store=store, grace=timedelta(0))

    assert (report.undone, report.completed, report.aborted) == (1, 0, 0)
    assert (await assert_accounting_holds(store, str(event["_id"])))["available_tickets"] == 10


async def test_repair_leaves_tombstones_as_they_are(store: EventStore, event: Document) -> None:
    await _refusal(store, event, 1, "t-8")
    entries = await ledger_entries(store, event["_id"])

    report = await repair_ticket_ledger(store=store, grace=timedelta(0))

    assert report.changed == 0
    assert await ledger_entries(store, event["_id"]) == entries


async def test_racing_releases_and_reservations_leave_nothing_held(
    store: EventStore, event: Document
) -> None:
    references = [f"race-{i}" for i in range(RACING_REFERENCES)]
    await set_counters(store, event["_id"], available=200, total=200)

    async def reserve(reference: str) -> str:
        try:
            await _change(store, event, -2, reference)
        except TicketConflictError as refused:
            return str(refused.extra["reason"])
        return "reserved"

    # Half the references start with the release, half with the reservation.
    calls = []
    for i, reference in enumerate(references):
        pair = [("reserve", reference), ("release", reference)]
        calls += pair if i % 2 else pair[::-1]
    settle: dict[str, Callable[[str], Awaitable[str]]] = {
        "reserve": reserve,
        "release": partial(_release_until_settled, store, event),
    }
    outcomes = await asyncio.gather(*(settle[kind](reference) for kind, reference in calls))

    answered = dict(zip(calls, outcomes, strict=True))
    reservations = [answered["reserve", reference] for reference in references]
    releases = [answered["release", reference] for reference in references]
    assert set(zip(reservations, releases, strict=True)) <= {
        ("reserved", "released"),
        (RefusalReason.RELEASED, RefusalReason.NOT_RESERVED),
    }
    assert (await assert_accounting_holds(store, str(event["_id"])))["available_tickets"] == 200
