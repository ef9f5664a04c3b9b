"""The ticket ledger's state machine, driven through the service layer without HTTP.

Each test has a store of its own, so the ledger holds exactly the entries the test made.
"""

import asyncio
from datetime import timedelta

import pytest
from bson import ObjectId

from event_service.errors import (
    ChangeInProgressError,
    EventNotFoundError,
    ReferenceConflictError,
    TicketConflictError,
)
from event_service.models import Document, EventStore, LedgerState, TicketDirection
from event_service.schemas import DEFAULT_TICKET_TYPE, TicketChange
from event_service.service import inventory
from event_service.service.catalogue import cancel_event
from event_service.service.repair import repair_ticket_ledger
from service_kit.auth import Principal, Role
from service_kit.clock import utcnow_ms
from tests.utils.events import (
    assert_accounting_holds,
    insert_event,
    interrupted_entry,
    ledger_entries,
    move_counter,
    set_counters,
)

ADMIN = Principal(subject="admin", role=Role.ADMIN)


async def _change(store: EventStore, event: Document, delta: int, reference: str) -> Document:
    return await inventory.change_tickets(
        store=store,
        event_id=str(event["_id"]),
        change=TicketChange(delta=delta, reference=reference),
    )


async def _accounting(store: EventStore, event: Document) -> Document:
    return await assert_accounting_holds(store, str(event["_id"]))


@pytest.fixture
def store(isolated_event_store: EventStore) -> EventStore:
    return isolated_event_store


@pytest.fixture
async def event(store: EventStore) -> Document:
    return await insert_event(store, total_tickets=10)


async def test_reservation_moves_the_counter_and_records_one_applied_entry(
    store: EventStore, event: Document
) -> None:
    after = await _change(store, event, -3, "r-1")

    assert after["available_tickets"] == 7
    assert after["pending_ops"] == []
    [entry] = await ledger_entries(store, event["_id"])
    assert (entry["state"], entry["direction"], entry["quantity"], entry["reference"]) == (
        LedgerState.APPLIED,
        TicketDirection.RESERVE,
        3,
        "r-1",
    )
    await _accounting(store, event)


async def test_replayed_reservation_answers_the_event_and_keeps_the_first_attempt(
    store: EventStore, event: Document
) -> None:
    await _change(store, event, -2, "r-2")
    [first] = await ledger_entries(store, event["_id"])

    replay = await _change(store, event, -2, "r-2")

    assert replay["available_tickets"] == 8
    assert await ledger_entries(store, event["_id"]) == [first]


async def test_refused_reservation_is_recorded_and_replayed_as_the_same_refusal(
    store: EventStore, event: Document
) -> None:
    with pytest.raises(TicketConflictError) as refused:
        await _change(store, event, -11, "r-3")
    await set_counters(store, event["_id"], available=20, total=20)  # room; the outcome stands
    with pytest.raises(TicketConflictError) as replayed:
        await _change(store, event, -11, "r-3")

    about = {"reason": "insufficient", "ticket_type_id": DEFAULT_TICKET_TYPE}
    assert refused.value.extra == {**about, "available_tickets": 10, "ticket_type_available": 10}
    assert replayed.value.extra == {**about, "available_tickets": 20, "ticket_type_available": 20}
    assert replayed.value.detail == refused.value.detail
    [entry] = await ledger_entries(store, event["_id"])
    assert (entry["state"], entry["reason"]) == (LedgerState.REJECTED, "insufficient")
    assert (await _accounting(store, event))["available_tickets"] == 20


async def test_reservation_for_a_cancelled_event_is_refused_as_cancelled(
    store: EventStore, event: Document
) -> None:
    await cancel_event(store=store, event_id=str(event["_id"]), principal=ADMIN)

    with pytest.raises(TicketConflictError) as refused:
        await _change(store, event, -1, "r-4")

    assert refused.value.extra["reason"] == "cancelled"
    assert (await _accounting(store, event))["available_tickets"] == 10


async def test_release_returns_the_reserved_tickets_once(
    store: EventStore, event: Document
) -> None:
    await _change(store, event, -4, "r-5")

    released = await _change(store, event, 4, "r-5")
    replayed = await _change(store, event, 4, "r-5")

    assert released["available_tickets"] == replayed["available_tickets"] == 10
    entries = await ledger_entries(store, event["_id"])
    assert [(entry["direction"], entry["state"]) for entry in entries] == [
        (TicketDirection.RESERVE, LedgerState.APPLIED),
        (TicketDirection.RELEASE, LedgerState.APPLIED),
    ]
    await _accounting(store, event)


async def test_release_without_a_reservation_is_recorded_as_not_reserved_with_a_tombstone(
    store: EventStore, event: Document
) -> None:
    with pytest.raises(TicketConflictError) as refused:
        await _change(store, event, 2, "r-6")

    assert refused.value.extra == {"reason": "not-reserved", "available_tickets": 10}
    [entry, tombstone] = await ledger_entries(store, event["_id"])
    assert (entry["direction"], entry["state"]) == (TicketDirection.RELEASE, LedgerState.REJECTED)
    assert (tombstone["direction"], tombstone["state"], tombstone["reason"]) == (
        TicketDirection.RESERVE,
        LedgerState.REJECTED,
        "released",
    )


async def test_release_while_its_reservation_is_pending_withdraws_and_asks_for_a_retry(
    store: EventStore, event: Document
) -> None:
    reservation = await interrupted_entry(store, event["_id"], "r-7", 2, started=utcnow_ms())

    with pytest.raises(ChangeInProgressError) as busy:
        await _change(store, event, 2, "r-7")

    assert busy.value.extra == {"reason": "in-progress"}
    assert busy.value.headers == {"Retry-After": "1"}
    assert await ledger_entries(store, event["_id"]) == [reservation]


async def test_releases_racing_a_pending_reservation_all_ask_for_a_retry_and_leave_nothing(
    store: EventStore, event: Document
) -> None:
    reservation = await interrupted_entry(store, event["_id"], "r-18", 2, started=utcnow_ms())

    outcomes = await asyncio.gather(
        *(_change(store, event, 2, "r-18") for _ in range(20)),
        return_exceptions=True,
    )

    assert {type(outcome) for outcome in outcomes} == {ChangeInProgressError}
    assert await ledger_entries(store, event["_id"]) == [reservation]


async def test_replay_of_a_change_still_pending_gives_up_after_the_wait(
    store: EventStore, event: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inventory, "REPLAY_WAIT_SECONDS", 0.1)
    first = await interrupted_entry(store, event["_id"], "r-8", 2, started=utcnow_ms())

    with pytest.raises(ChangeInProgressError):
        await _change(store, event, -2, "r-8")

    assert await ledger_entries(store, event["_id"]) == [first]
    assert (await _accounting(store, event))["available_tickets"] == 10


async def test_replay_waits_for_the_first_attempt_and_answers_its_outcome(
    store: EventStore, event: Document
) -> None:
    first = await interrupted_entry(store, event["_id"], "r-9", 3, started=utcnow_ms())
    moved = await move_counter(store, first)

    async def first_attempt_settles() -> Document:
        await asyncio.sleep(0.2)
        return await inventory.settle(store=store, entry=first, event=moved)

    replay, settled = await asyncio.gather(
        _change(store, event, -3, "r-9"), first_attempt_settles()
    )

    assert replay["available_tickets"] == settled["available_tickets"] == 7
    [entry] = await ledger_entries(store, event["_id"])
    assert (entry["state"], entry["attempt"]) == (LedgerState.APPLIED, first["attempt"])
    await _accounting(store, event)


async def test_aborted_change_is_taken_over_by_the_next_request_and_applied_once(
    store: EventStore, event: Document
) -> None:
    aborted = await interrupted_entry(store, event["_id"], "r-10", 2, state=LedgerState.ABORTED)

    results = await asyncio.gather(*(_change(store, event, -2, "r-10") for _ in range(5)))

    assert {result["available_tickets"] for result in results} == {8}
    [entry] = await ledger_entries(store, event["_id"])
    assert entry["_id"] == aborted["_id"]
    assert entry["state"] == LedgerState.APPLIED
    assert entry["attempt"] != aborted["attempt"]
    await _accounting(store, event)


async def test_reference_used_for_another_quantity_is_refused_and_changes_nothing(
    store: EventStore, event: Document
) -> None:
    await _change(store, event, -2, "r-11")

    with pytest.raises(ReferenceConflictError) as refused:
        await _change(store, event, -3, "r-11")

    assert refused.value.extra == {"reason": "reference", "available_tickets": 8}
    assert len(await ledger_entries(store, event["_id"])) == 1


async def test_change_for_an_unknown_event_leaves_no_entry(
    store: EventStore,
) -> None:
    missing = {"_id": ObjectId()}

    for delta in (-1, 1):
        with pytest.raises(EventNotFoundError):
            await _change(store, missing, delta, "r-12")

    assert await store.ledger.count_documents({}) == 0


async def test_change_that_lands_after_being_declared_interrupted_is_completed(
    store: EventStore, event: Document
) -> None:
    entry = await interrupted_entry(store, event["_id"], "r-13", 2)
    report = await repair_ticket_ledger(store=store, grace=timedelta(0))
    late = await move_counter(store, entry)  # the holder's step 2, landing now

    settled = await inventory.settle(store=store, entry=entry, event=late)

    assert report.aborted == 1
    assert settled["available_tickets"] == 8
    assert settled["pending_ops"] == []
    [stored] = await ledger_entries(store, event["_id"])
    assert (stored["state"], stored["attempt"]) == (LedgerState.APPLIED, entry["attempt"])
    await _accounting(store, event)


async def test_holder_settling_after_the_repair_completed_its_change_keeps_it(
    store: EventStore, event: Document
) -> None:
    entry = await interrupted_entry(store, event["_id"], "r-14", 3)
    moved = await move_counter(store, entry)
    report = await repair_ticket_ledger(store=store, grace=timedelta(0))

    settled = await inventory.settle(store=store, entry=entry, event=moved)

    assert (report.completed, report.cleaned, report.undone) == (1, 1, 0)
    assert settled["available_tickets"] == 7
    assert (await _accounting(store, event))["available_tickets"] == 7


async def test_holder_settling_a_change_the_repair_marked_applied_only_cleans_the_marker(
    store: EventStore, event: Document
) -> None:
    entry = await interrupted_entry(store, event["_id"], "r-17", 3)
    moved = await move_counter(store, entry)
    await store.ledger.update_one(  # the repair's step 3, before its clean-up
        {"_id": entry["_id"]}, {"$set": {"state": LedgerState.APPLIED}}
    )

    settled = await inventory.settle(store=store, entry=entry, event=moved)

    assert settled["available_tickets"] == 7
    assert (await _accounting(store, event))["available_tickets"] == 7


async def test_holder_settling_after_a_retry_took_over_undoes_its_change_and_answers_the_retry(
    store: EventStore, event: Document
) -> None:
    entry = await interrupted_entry(store, event["_id"], "r-15", 2)
    await repair_ticket_ledger(store=store, grace=timedelta(0))  # aborted
    await _change(store, event, -2, "r-15")  # the retry takes it over
    late = await move_counter(store, entry)  # the first holder wakes up

    settled = await inventory.settle(store=store, entry=entry, event=late)

    assert settled["available_tickets"] == 8
    [stored] = await ledger_entries(store, event["_id"])
    assert stored["state"] == LedgerState.APPLIED
    assert stored["attempt"] != entry["attempt"]
    assert (await _accounting(store, event))["available_tickets"] == 8


async def test_holder_refused_after_a_retry_took_over_answers_what_stands(
    store: EventStore, event: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the refused step 2 and the recorded refusal, the entry changes hands."""
    await set_counters(store, event["_id"], available=3)
    read_event = inventory._find_event
    interleaved = False

    async def read_event_after_a_takeover(_: EventStore, event_id: ObjectId) -> Document | None:
        nonlocal interleaved
        if not interleaved:
            interleaved = True
            long_ago = utcnow_ms() - timedelta(minutes=5)
            await store.ledger.update_one({"reference": "r-19"}, {"$set": {"attempt_at": long_ago}})
            await repair_ticket_ledger(store=store, grace=timedelta(seconds=5))  # aborted
            await set_counters(store, event_id, available=10)
            await _change(store, event, -4, "r-19")  # a retry takes it over and applies it
        return await read_event(store, event_id)

    monkeypatch.setattr(inventory, "_find_event", read_event_after_a_takeover)

    answer = await _change(store, event, -4, "r-19")

    assert interleaved
    assert answer["available_tickets"] == 6
    [entry] = await ledger_entries(store, event["_id"])
    assert entry["state"] == LedgerState.APPLIED
    await _accounting(store, event)


async def test_repair_undoes_a_change_whose_entry_another_attempt_refused(
    store: EventStore, event: Document
) -> None:
    entry = await interrupted_entry(store, event["_id"], "r-16", 4)
    await repair_ticket_ledger(store=store, grace=timedelta(0))  # aborted
    await set_counters(store, event["_id"], available=3, total=3)  # too few for the retry
    with pytest.raises(TicketConflictError):
        await _change(store, event, -4, "r-16")
    await set_counters(store, event["_id"], available=10, total=10)
    await move_counter(store, entry)  # the first holder's step 2 lands late

    report = await repair_ticket_ledger(store=store, grace=timedelta(0))

    assert (report.undone, report.completed) == (1, 0)
    [stored] = await ledger_entries(store, event["_id"])
    assert stored["state"] == LedgerState.REJECTED
    assert (await _accounting(store, event))["available_tickets"] == 10
