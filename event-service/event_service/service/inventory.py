"""Ticket inventory: atomic, idempotent reservations and releases that never oversell.

A ticket change runs in steps, each one atomic on one document:

1. insert a ledger entry `(event, reference, direction)` in state `pending`, stamped with a
   fresh attempt token; the unique index turns a replay into a lookup of the first outcome;
2. the holder of the attempt makes one conditional update of the event: it checks the
   availability, moves the counter and records `{entry, attempt}` in `pending_ops`, so the
   counter change and its proof land together;
3. the entry moves `pending -> applied` (or `rejected`, with the reason), but only while it
   still carries that attempt token;
4. the marker leaves `pending_ops`.

A release whose reservation was never made (or was interrupted) is refused as `not-reserved`,
and first bars that reservation with a tombstone: the reservation's own entry, `rejected` as
`released`. A reservation arriving later with the reference is refused, so no ordering of a
release and its reservation can leave tickets held that nobody will release.

Only the attempt's holder applies it. A replay that finds the entry pending waits for the
outcome; it never applies the change itself. If step 3 finds the entry no longer held by its
attempt (the repair pass declared it interrupted, and perhaps a retry took it over), the holder
undoes its counter change. A crash between steps leaves an entry pending or a marker in
`pending_ops`; `repair.py` settles both, so at any quiet moment
`total_tickets - available_tickets` equals the applied reservations minus the applied releases.

`_run` drives one change through these steps. Each step is a function that returns the next
one (`Start`, `Replay`, `Apply`, `Settle`, `Reject`) or the outcome (`Done`, `Raise`), so the
whole path of a change, retries and take-overs included, is the loop in `_run`.
"""

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime
from typing import assert_never

from bson import ObjectId
from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from event_service.errors import ChangeInProgressError, EventNotFoundError, RefusalReason
from event_service.models import Document, EventStore, LedgerState, TicketDirection, parse_object_id
from event_service.schemas import EventStatus, TicketChange
from event_service.service.ledger import (
    Rejection,
    TicketRequest,
    bar_aborted,
    bar_reservation,
    barred,
    complete_aborted,
    held,
    is_tombstone,
    take_over,
    undo_attempt,
    withdraw,
)
from service_kit.clock import utcnow_ms
from service_kit.errors import ProblemError

# How long a replay waits for the first attempt of the same change to finish.
REPLAY_WAIT_SECONDS = 3.0
REPLAY_POLL_SECONDS = 0.02


# The steps of a change. Each names what to do next; `Done` and `Raise` end the change.
@dataclass(frozen=True)
class Start:
    """Step 1: insert a fresh pending entry (a duplicate key means a replay)."""


@dataclass(frozen=True)
class Replay:
    """The entry exists: wait for its outcome, or take it over if it was aborted."""


@dataclass(frozen=True)
class Apply:
    """Step 2, by the holder of `entry["attempt"]`."""

    entry: Document


@dataclass(frozen=True)
class Settle:
    """Steps 3 and 4 after the counter moved: applied, or undone if no longer held."""

    entry: Document
    event: Document


@dataclass(frozen=True)
class Reject:
    """Step 3 for a refused change: record the refusal if the entry is still held."""

    entry: Document
    rejection: Rejection


@dataclass(frozen=True)
class Done:
    event: Document


@dataclass(frozen=True)
class Raise:
    error: ProblemError


Step = Start | Replay | Apply | Settle | Reject | Done | Raise


async def change_tickets(*, store: EventStore, event_id: str, change: TicketChange) -> Document:
    """Reserve (delta < 0) or release (delta > 0) for `change.reference`; returns the event."""
    # The event is not read first: step 2 finds out whether it exists, saving a round trip.
    object_id = parse_object_id(event_id)
    if object_id is None:
        raise EventNotFoundError.for_id(event_id)
    request = TicketRequest(
        event_id=object_id,
        reference=change.reference,
        direction=TicketDirection.of(change.delta),
        quantity=abs(change.delta),
    )
    return await _run(store, request, Start())


async def settle(*, store: EventStore, entry: Document, event: Document) -> Document:
    """Finish a change whose counter update (step 2) landed, as its attempt's holder."""
    return await _run(store, TicketRequest.of_entry(entry), Settle(entry, event))


async def _run(store: EventStore, request: TicketRequest, step: Step) -> Document:
    while True:
        match step:
            case Start():
                step = await _start(store, request)
            case Replay():
                step = await _await_outcome(store, request)
            case Apply(entry):
                step = await _apply(store, entry)
            case Settle(entry, event):
                step = await _settle(store, entry, event)
            case Reject(entry, rejection):
                step = await _reject(store, entry, rejection)
            case Done(event):
                return event
            case Raise(error):
                raise error
            case _:
                assert_never(step)


async def _start(store: EventStore, request: TicketRequest) -> Step:
    now = utcnow_ms()
    entry: Document = {
        **request.key(),
        "quantity": request.quantity,
        "_id": ObjectId(),
        "state": LedgerState.PENDING,
        "attempt": ObjectId(),
        "attempt_at": now,
        "created_at": now,
        "updated_at": now,
    }
    try:
        await store.ledger.insert_one(entry)
    except DuplicateKeyError:
        return Replay()
    return Apply(entry)


async def _await_outcome(store: EventStore, request: TicketRequest) -> Step:
    """The same change again: answer the first attempt's outcome, waiting while it runs."""
    deadline = time.monotonic() + REPLAY_WAIT_SECONDS
    while True:
        first = await store.ledger.find_one(request.key())
        if first is None:  # a release that found its reservation unsettled and withdrew
            return Start()
        if is_tombstone(first):  # released before it reserved: refused, whatever the quantity
            rejection = barred(request.reference)
            return Raise(rejection.error(await _find_event(store, request.event_id)))
        if first["quantity"] != request.quantity:
            rejection = Rejection(
                RefusalReason.REFERENCE,
                f"Reference {request.reference!r} was already used to "
                f"{request.direction} {first['quantity']} tickets.",
            )
            return Raise(rejection.error(await _find_event(store, request.event_id)))
        match first["state"]:
            case LedgerState.APPLIED:
                event = await _find_event(store, request.event_id)
                if event is None:
                    return Raise(EventNotFoundError.for_id(request.event_id))
                return Done(event)
            case LedgerState.REJECTED:
                rejection = Rejection(RefusalReason(first["reason"]), first["detail"])
                return Raise(rejection.error(await _find_event(store, request.event_id)))
            case LedgerState.ABORTED:
                revived = await take_over(store, first)
                if revived is not None:
                    return Apply(revived)
                continue  # another caller took it over: read its progress at once
        if time.monotonic() >= deadline:
            return Raise(
                ChangeInProgressError(
                    "An earlier request for this reference is still being applied; retry shortly."
                )
            )
        await asyncio.sleep(REPLAY_POLL_SECONDS)


async def _apply(store: EventStore, entry: Document) -> Step:
    direction = TicketDirection(entry["direction"])
    if direction == TicketDirection.RELEASE:
        blocked = await _check_release(store, entry)
        if blocked is not None:
            return blocked
    now = utcnow_ms()
    updated = await store.events.find_one_and_update(
        _counter_filter(entry, now),
        {
            "$inc": {"available_tickets": direction.counter_step(entry["quantity"])},
            "$push": {"pending_ops": {"entry": entry["_id"], "attempt": entry["attempt"]}},
            "$set": {"updated_at": now},
        },
        return_document=ReturnDocument.AFTER,
    )
    if updated is not None:
        return Settle(entry, updated)
    event = await _find_event(store, entry["event_id"])
    if event is None:
        await withdraw(store, entry)
        return Raise(EventNotFoundError.for_id(entry["event_id"]))
    return Reject(entry, _refusal_reason(entry, event))


async def _settle(store: EventStore, entry: Document, event: Document) -> Step:
    if not await _stands(store, entry):
        # Declared interrupted meanwhile (maybe retried by another attempt): undo ours.
        await undo_attempt(store=store, entry=entry, attempt=entry["attempt"])
        return Replay()
    await store.events.update_one(
        {"_id": entry["event_id"]}, {"$pull": {"pending_ops": {"attempt": entry["attempt"]}}}
    )
    event["pending_ops"] = [
        marker for marker in event.get("pending_ops", []) if marker["attempt"] != entry["attempt"]
    ]
    return Done(event)


async def _stands(store: EventStore, entry: Document) -> bool:
    """Step 3: whether this attempt's counter change is (now) recorded as applied."""
    settled = await store.ledger.update_one(
        held(entry), {"$set": {"state": LedgerState.APPLIED, "updated_at": utcnow_ms()}}
    )
    if settled.modified_count == 1:
        return True
    if await complete_aborted(store=store, entry_id=entry["_id"], attempt=entry["attempt"]):
        return True
    current = await store.ledger.find_one({"_id": entry["_id"]})
    return (
        current is not None
        and current["state"] == LedgerState.APPLIED
        and current["attempt"] == entry["attempt"]
    )


async def _reject(store: EventStore, entry: Document, rejection: Rejection) -> Step:
    recorded = await store.ledger.update_one(
        held(entry),
        {
            "$set": {
                "state": LedgerState.REJECTED,
                "reason": rejection.reason,
                "detail": rejection.detail,
                "updated_at": utcnow_ms(),
            }
        },
    )
    if recorded.modified_count == 0:  # declared interrupted meanwhile: report what stands
        return Replay()
    return Raise(rejection.error(await _find_event(store, entry["event_id"])))


async def _check_release(store: EventStore, entry: Document) -> Step | None:
    """Whether a release may go ahead: None, or the step that refuses it.

    A release of a reservation that was never made (or was interrupted) bars it first with a
    tombstone, so the reservation, should it land later, is refused and takes nothing.
    """
    while True:
        reservation = await store.ledger.find_one(
            {
                "event_id": entry["event_id"],
                "reference": entry["reference"],
                "direction": TicketDirection.RESERVE,
            }
        )
        if reservation is None:
            if await _find_event(store, entry["event_id"]) is None:
                await withdraw(store, entry)
                return Raise(EventNotFoundError.for_id(entry["event_id"]))
            if await bar_reservation(store, entry):
                return Reject(entry, _not_reserved(entry))
            continue  # the reservation's entry landed meanwhile: check it
        match reservation["state"]:
            case LedgerState.REJECTED:
                return Reject(entry, _not_reserved(entry))
            case LedgerState.ABORTED:
                if await bar_aborted(store, reservation):
                    return Reject(entry, _not_reserved(entry))
                continue  # taken over or completed meanwhile: check it again
            case LedgerState.PENDING:
                # The reservation itself is unsettled; the caller retries once it is.
                await withdraw(store, entry)
                return Raise(
                    ChangeInProgressError(
                        "The reservation for this reference is still being applied; retry shortly."
                    )
                )
        if entry["quantity"] > reservation["quantity"]:
            return Reject(
                entry,
                Rejection(
                    RefusalReason.EXCEEDS_RESERVATION,
                    f"Reference {entry['reference']!r} reserved {reservation['quantity']} "
                    f"tickets; {entry['quantity']} cannot be released.",
                ),
            )
        return None


def _not_reserved(entry: Document) -> Rejection:
    return Rejection(
        RefusalReason.NOT_RESERVED, f"Reference {entry['reference']!r} holds no tickets."
    )


def _refusal_reason(entry: Document, event: Document) -> Rejection:
    if entry["direction"] == TicketDirection.RELEASE:
        return Rejection(
            RefusalReason.EXCEEDS_TOTAL, "Releasing these tickets would exceed the total."
        )
    if event["status"] == EventStatus.CANCELLED:
        return Rejection(
            RefusalReason.CANCELLED, "The event is cancelled; no tickets can be reserved."
        )
    if event["starts_at"] <= utcnow_ms():
        return Rejection(
            RefusalReason.STARTED, "The event has already started; tickets are closed."
        )
    available = event["available_tickets"]
    return Rejection(
        RefusalReason.INSUFFICIENT,
        f"Only {available} tickets are available; {entry['quantity']} were requested.",
    )


def _counter_filter(entry: Document, now: datetime) -> Document:
    """Step 2's condition: the event exists and can take this change now."""
    quantity = entry["quantity"]
    base: Document = {"_id": entry["event_id"]}
    if entry["direction"] == TicketDirection.RESERVE:
        return {
            **base,
            "status": EventStatus.SCHEDULED,
            "starts_at": {"$gt": now},
            "available_tickets": {"$gte": quantity},
        }
    return {
        **base,
        "$expr": {"$lte": [{"$add": ["$available_tickets", quantity]}, "$total_tickets"]},
    }


async def _find_event(store: EventStore, event_id: ObjectId) -> Document | None:
    return await store.events.find_one({"_id": event_id})
