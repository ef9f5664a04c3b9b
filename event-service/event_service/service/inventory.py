"""Ticket inventory: atomic, idempotent reservations and releases that never oversell.

A ticket change runs in steps, each one atomic on one document:

1. insert a ledger entry `(event, reference, direction)` in state `pending`, stamped with a
   fresh attempt token, with the ticket types it moves (`items`); the unique index turns a
   replay into a lookup of the first outcome;
2. the holder of the attempt makes one conditional update of the event: it checks every type's
   availability and rules (sale window, per-order limits, not hidden), moves every type's
   counter and the event's sum, and records `{entry, attempt}` in `pending_ops`, so all the
   counter changes and their proof land together: several types are reserved all or none
   (the conditions, and the reason told when they fail, are in `conditions.py`);
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
from typing import assert_never

from bson import ObjectId
from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from event_service.errors import ChangeInProgressError, EventNotFoundError, RefusalReason
from event_service.models import (
    Document,
    EventStore,
    LedgerState,
    TicketDirection,
    parse_object_id,
)
from event_service.schemas import TicketChange
from event_service.service.conditions import counter_filter, refusal_reason
from event_service.service.ledger import (
    Items,
    Rejection,
    TicketRequest,
    bar_aborted,
    bar_reservation,
    barred,
    complete_aborted,
    counter_moves,
    entry_items,
    held,
    is_tombstone,
    stored_items,
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
        items=change.named_items(),
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
    if request.items is not None:
        entry["items"] = stored_items(request.items)
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
        if not request.matches(first):
            used = (
                f"Reference {request.reference!r} was already used to "
                f"{request.direction} {first['quantity']} tickets"
            )
            other = " of other types" if first["quantity"] == request.quantity else ""
            rejection = Rejection(RefusalReason.REFERENCE, f"{used}{other}.")
            return Raise(rejection.error(await _find_event(store, request.event_id)))
        match first["state"]:
            case LedgerState.APPLIED:
                event = await _find_event(store, request.event_id)
                if event is None:
                    return Raise(EventNotFoundError.for_id(request.event_id))
                return Done(event)
            case LedgerState.REJECTED:
                rejection = Rejection.of_entry(first)
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
    if entry["direction"] == TicketDirection.RELEASE:
        checked = await _check_release(store, entry)
        if not isinstance(checked, dict):
            return checked
        entry = checked
    now = utcnow_ms()
    updated = await store.events.find_one_and_update(
        counter_filter(entry, now),
        {
            "$inc": counter_moves(entry),
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
    return Reject(entry, refusal_reason(entry, event))


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
    if rejection.reason.is_request_error:
        # A request no order may make is not recorded: the caller may correct it and send it
        # again under the same reference. The counters never moved for it.
        withdrawn = await store.ledger.delete_one(held(entry))
        if withdrawn.deleted_count == 0:  # declared interrupted meanwhile: report what stands
            return Replay()
        return Raise(rejection.error(await _find_event(store, entry["event_id"])))
    recorded = await store.ledger.update_one(
        held(entry),
        {
            "$set": {
                "state": LedgerState.REJECTED,
                **rejection.recorded(),
                "updated_at": utcnow_ms(),
            }
        },
    )
    if recorded.modified_count == 0:  # declared interrupted meanwhile: report what stands
        return Replay()
    return Raise(rejection.error(await _find_event(store, entry["event_id"])))


async def _check_release(store: EventStore, entry: Document) -> Document | Step:
    """Whether a release may go ahead: the entry (with the types it gives back), or the step
    that refuses it.

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
        return await _release_items(store, entry, reservation)


async def _release_items(
    store: EventStore, entry: Document, reservation: Document
) -> Document | Step:
    """The release with the types it gives back, each within what the reservation took.

    A release that names no type gives back what the reservation took: all of it, or part of
    its only type. The types are recorded in the entry before the counters move, so an undo or
    a repair moves the same ones.
    """
    reserved = dict(entry_items(reservation))
    items: Items
    if entry.get("items"):
        items = entry_items(entry)
    elif len(reserved) == 1:
        items = ((next(iter(reserved)), entry["quantity"]),)
    elif entry["quantity"] == reservation["quantity"]:
        items = entry_items(reservation)
    else:
        return Reject(
            entry,
            Rejection(
                RefusalReason.ITEMS_REQUIRED,
                f"Reference {entry['reference']!r} reserved several ticket types; a partial "
                "release must name them in `items`.",
            ),
        )
    for type_id, quantity in items:
        if quantity > reserved.get(type_id, 0):
            return Reject(
                entry,
                Rejection(
                    RefusalReason.EXCEEDS_RESERVATION,
                    f"Reference {entry['reference']!r} reserved {reserved.get(type_id, 0)} "
                    f"tickets of type {type_id}; {quantity} cannot be released.",
                    type_id,
                ),
            )
    if items == entry_items(entry):
        return entry
    recorded = await store.ledger.update_one(
        held(entry), {"$set": {"items": stored_items(items), "updated_at": utcnow_ms()}}
    )
    if recorded.modified_count == 0:  # declared interrupted meanwhile: report what stands
        return Replay()
    return {**entry, "items": stored_items(items)}


def _not_reserved(entry: Document) -> Rejection:
    return Rejection(
        RefusalReason.NOT_RESERVED, f"Reference {entry['reference']!r} holds no tickets."
    )


async def _find_event(store: EventStore, event_id: ObjectId) -> Document | None:
    return await store.events.find_one({"_id": event_id})
