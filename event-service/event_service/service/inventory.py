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

Only the attempt's holder applies it. A replay that finds the entry pending waits for the
outcome; it never applies the change itself. If step 3 finds the entry no longer held by its
attempt (the repair pass declared it interrupted, and perhaps a retry took it over), the holder
undoes its counter change. A crash between steps leaves an entry pending or a marker in
`pending_ops`; `repair.py` settles both, so at any quiet moment
`total_tickets - available_tickets` equals the applied reservations minus the applied releases.
"""

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from bson import ObjectId
from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from event_service.errors import (
    ChangeInProgressError,
    EventNotFoundError,
    ReferenceConflictError,
    RefusalReason,
    TicketConflictError,
)
from event_service.models import Document, EventStore, LedgerState, TicketDirection, parse_object_id
from event_service.schemas import EventStatus, TicketChange
from service_kit.clock import utcnow_ms
from service_kit.errors import ConflictError

# How long a replay waits for the first attempt of the same change to finish.
REPLAY_WAIT_SECONDS = 3.0
REPLAY_POLL_SECONDS = 0.02


@dataclass(frozen=True)
class Rejection:
    reason: RefusalReason
    detail: str

    def error(self, event: Document | None) -> ConflictError:
        available = event["available_tickets"] if event else None
        if self.reason == RefusalReason.REFERENCE:
            return ReferenceConflictError(self.detail, available_tickets=available)
        return TicketConflictError(self.detail, reason=self.reason, available_tickets=available)


def _key(entry: Document) -> Document:
    return {name: entry[name] for name in ("event_id", "reference", "direction")}


async def change_tickets(*, store: EventStore, event_id: str, change: TicketChange) -> Document:
    """Reserve (delta < 0) or release (delta > 0) for `change.reference`; returns the event."""
    # The event is not read first: step 2 finds out whether it exists, saving a round trip.
    object_id = parse_object_id(event_id)
    if object_id is None:
        raise EventNotFoundError.for_id(event_id)
    return await _start(
        store=store,
        request={
            "event_id": object_id,
            "reference": change.reference,
            "direction": TicketDirection.of(change.delta),
            "quantity": abs(change.delta),
        },
    )


async def _start(*, store: EventStore, request: Document) -> Document:
    now = utcnow_ms()
    entry = {
        **request,
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
        return await _replay(store=store, request=request)
    return await _apply(store=store, entry=entry)


async def _replay(*, store: EventStore, request: Document) -> Document:
    """The same change again: answer the first attempt's outcome, waiting while it runs."""
    deadline = time.monotonic() + REPLAY_WAIT_SECONDS
    while True:
        first = await store.ledger.find_one(_key(request))
        if first is None:  # a release that found its reservation unsettled and withdrew
            return await _start(store=store, request=request)
        if first["quantity"] != request["quantity"]:
            raise Rejection(
                RefusalReason.REFERENCE,
                f"Reference {request['reference']!r} was already used to "
                f"{request['direction']} {first['quantity']} tickets.",
            ).error(await store.events.find_one({"_id": request["event_id"]}))
        if first["state"] == LedgerState.APPLIED:
            return await _current(store, request["event_id"])
        if first["state"] == LedgerState.REJECTED:
            raise Rejection(RefusalReason(first["reason"]), first["detail"]).error(
                await store.events.find_one({"_id": request["event_id"]})
            )
        if first["state"] == LedgerState.ABORTED:
            revived = await _take_over(store, first)
            if revived is not None:
                return await _apply(store=store, entry=revived)
            continue
        if time.monotonic() >= deadline:
            raise ChangeInProgressError(
                "An earlier request for this reference is still being applied; retry shortly."
            )
        await asyncio.sleep(REPLAY_POLL_SECONDS)


async def _take_over(store: EventStore, entry: Document) -> Document | None:
    """Hold an interrupted (aborted) entry with a new attempt; None if another caller won."""
    now = utcnow_ms()
    taken: Document | None = await store.ledger.find_one_and_update(
        {"_id": entry["_id"], "state": LedgerState.ABORTED},
        {
            "$set": {
                "state": LedgerState.PENDING,
                "attempt": ObjectId(),
                "attempt_at": now,
                "updated_at": now,
            }
        },
        return_document=ReturnDocument.AFTER,
    )
    return taken


async def _current(store: EventStore, event_id: ObjectId) -> Document:
    event = await store.events.find_one({"_id": event_id})
    if event is None:
        raise EventNotFoundError.for_id(event_id)
    return event


def _counter_filter(entry: Document, now: Any) -> Document:
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


def _held(entry: Document) -> Document:
    """The condition under which the caller still holds the entry's attempt."""
    return {"_id": entry["_id"], "state": LedgerState.PENDING, "attempt": entry["attempt"]}


async def _withdraw(store: EventStore, entry: Document) -> None:
    """Remove an entry whose attempt never touched the counter."""
    await store.ledger.delete_one(_held(entry))


async def _apply(*, store: EventStore, entry: Document) -> Document:
    """Steps 2-4, by the holder of `entry["attempt"]`."""
    if entry["direction"] == TicketDirection.RELEASE:
        refusal = await _release_refusal(store, entry)
        if refusal is not None:
            return await _reject(store=store, entry=entry, rejection=refusal)
    now = utcnow_ms()
    updated = await store.events.find_one_and_update(
        _counter_filter(entry, now),
        {
            "$inc": {
                "available_tickets": TicketDirection(entry["direction"]).counter_step(
                    entry["quantity"]
                )
            },
            "$push": {"pending_ops": {"entry": entry["_id"], "attempt": entry["attempt"]}},
            "$set": {"updated_at": now},
        },
        return_document=ReturnDocument.AFTER,
    )
    if updated is None:
        event = await store.events.find_one({"_id": entry["event_id"]})
        if event is None:
            await _withdraw(store, entry)
            raise EventNotFoundError.for_id(entry["event_id"])
        return await _reject(store=store, entry=entry, rejection=_refusal_reason(entry, event))
    return await settle(store=store, entry=entry, event=updated)


async def settle(*, store: EventStore, entry: Document, event: Document) -> Document:
    settled = await store.ledger.update_one(
        _held(entry), {"$set": {"state": LedgerState.APPLIED, "updated_at": utcnow_ms()}}
    )
    if settled.modified_count == 0 and not await complete_aborted(
        store=store, entry_id=entry["_id"], attempt=entry["attempt"]
    ):
        current = await store.ledger.find_one({"_id": entry["_id"]})
        completed_for_us = (
            current is not None
            and current["state"] == LedgerState.APPLIED
            and current["attempt"] == entry["attempt"]
        )
        if not completed_for_us:
            # Declared interrupted meanwhile (maybe retried by another attempt): undo ours.
            await undo_attempt(store=store, entry=entry, attempt=entry["attempt"])
            return await _replay(store=store, request=entry)
    await store.events.update_one(
        {"_id": entry["event_id"]}, {"$pull": {"pending_ops": {"attempt": entry["attempt"]}}}
    )
    event["pending_ops"] = [
        marker for marker in event.get("pending_ops", []) if marker["attempt"] != entry["attempt"]
    ]
    return event


async def complete_aborted(*, store: EventStore, entry_id: ObjectId, attempt: ObjectId) -> bool:
    """An entry declared interrupted whose counter change landed after all: it stands.

    Undoing it instead could take back tickets already sold on (a late release, say).
    Only while no retry has taken the entry over with another attempt.
    """
    completed = await store.ledger.update_one(
        {"_id": entry_id, "state": LedgerState.ABORTED, "attempt": attempt},
        {"$set": {"state": LedgerState.APPLIED, "updated_at": utcnow_ms()}},
    )
    return completed.modified_count == 1


async def undo_attempt(*, store: EventStore, entry: Document, attempt: ObjectId) -> None:
    """Reverse one attempt's counter change if (and only if) its marker is still there."""
    await store.events.update_one(
        {"_id": entry["event_id"], "pending_ops.attempt": attempt},
        {
            "$inc": {
                "available_tickets": -TicketDirection(entry["direction"]).counter_step(
                    entry["quantity"]
                )
            },
            "$pull": {"pending_ops": {"attempt": attempt}},
        },
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


async def _release_refusal(store: EventStore, entry: Document) -> Rejection | None:
    reservation = await store.ledger.find_one(
        {
            "event_id": entry["event_id"],
            "reference": entry["reference"],
            "direction": TicketDirection.RESERVE,
        }
    )
    if reservation is None and await store.events.find_one({"_id": entry["event_id"]}) is None:
        await _withdraw(store, entry)
        raise EventNotFoundError.for_id(entry["event_id"])
    if reservation is None or reservation["state"] in (LedgerState.REJECTED, LedgerState.ABORTED):
        return Rejection(
            RefusalReason.NOT_RESERVED, f"Reference {entry['reference']!r} holds no tickets."
        )
    if reservation["state"] == LedgerState.PENDING:
        # The reservation itself is unsettled; the caller retries once it is.
        await _withdraw(store, entry)
        raise ChangeInProgressError(
            "The reservation for this reference is still being applied; retry shortly."
        )
    if entry["quantity"] > reservation["quantity"]:
        return Rejection(
            RefusalReason.EXCEEDS_RESERVATION,
            f"Reference {entry['reference']!r} reserved {reservation['quantity']} tickets; "
            f"{entry['quantity']} cannot be released.",
        )
    return None


async def _reject(*, store: EventStore, entry: Document, rejection: Rejection) -> Document:
    recorded = await store.ledger.update_one(
        _held(entry),
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
        return await _replay(store=store, request=entry)
    raise rejection.error(await store.events.find_one({"_id": entry["event_id"]}))
