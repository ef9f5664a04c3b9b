"""Ticket inventory: atomic, idempotent reservations and releases that never oversell.

A ticket change runs in steps, each one atomic on one document:

1. insert a ledger entry `(event, reference, direction)` in state `pending`; the unique index
   turns a replay into a lookup of the first attempt's outcome;
2. one conditional update of the event checks availability, moves the counter and records the
   entry's id in `pending_ops`, so the counter change and its proof land together;
3. the entry moves `pending -> applied` (or `rejected`, with the reason, if step 2 refused);
4. the id leaves `pending_ops`.

The ledger entry's state decides. If step 3 finds the entry no longer pending (the repair pass
declared it interrupted), the change is undone. A crash between steps leaves an entry pending
or an id in `pending_ops`; `repair.py` settles both, so at any quiet moment
`total_tickets - available_tickets` equals the applied reservations minus the applied releases.
"""

from dataclasses import dataclass
from typing import Any

from bson import ObjectId
from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from event_service.models import (
    ABORTED,
    APPLIED,
    PENDING,
    REJECTED,
    RELEASE,
    RESERVE,
    Document,
    EventStore,
    parse_object_id,
)
from event_service.schemas import EventStatus, TicketChange
from event_service.service.catalogue import EventNotFoundError, now_utc
from service_kit.errors import ConflictError


class TicketConflictError(ConflictError):
    slug = "tickets-unavailable"


class ReferenceConflictError(ConflictError):
    slug = "reference-conflict"


@dataclass(frozen=True)
class Rejection:
    reason: str
    detail: str

    def error(self, event: Document | None) -> ConflictError:
        available = event["available_tickets"] if event else None
        cls = TicketConflictError if self.reason != "reference" else ReferenceConflictError
        return cls(self.detail, reason=self.reason, available_tickets=available)


def counter_step(direction: str, quantity: int) -> int:
    """How an applied entry moved `available_tickets`."""
    return -quantity if direction == RESERVE else quantity


async def change_tickets(*, store: EventStore, event_id: str, change: TicketChange) -> Document:
    """Reserve (delta < 0) or release (delta > 0) for `change.reference`; returns the event."""
    # The event is not read first: step 2 finds out whether it exists, saving a round trip.
    object_id = parse_object_id(event_id)
    if object_id is None:
        raise EventNotFoundError(f"No event with id {event_id}.")
    entry: Document = {
        "_id": ObjectId(),
        "event_id": object_id,
        "reference": change.reference,
        "direction": change.direction,
        "quantity": abs(change.delta),
        "state": PENDING,
        "created_at": now_utc(),
        "updated_at": now_utc(),
    }
    try:
        await store.ledger.insert_one(entry)
    except DuplicateKeyError:
        return await _replay(store=store, entry=entry)
    return await _apply(store=store, entry=entry)


async def _replay(*, store: EventStore, entry: Document) -> Document:
    first = await store.ledger.find_one(
        {key: entry[key] for key in ("event_id", "reference", "direction")}
    )
    if first is None:  # removed between our insert and this read: start over
        return await change_tickets_again(store=store, entry=entry)
    if first["quantity"] != entry["quantity"]:
        raise Rejection(
            "reference",
            f"Reference {entry['reference']!r} was already used to {entry['direction']} "
            f"{first['quantity']} tickets.",
        ).error(await store.events.find_one({"_id": entry["event_id"]}))
    if first["state"] == APPLIED:
        return await _current(store, entry["event_id"])
    if first["state"] == REJECTED:
        raise Rejection(first["reason"], first["detail"]).error(
            await store.events.find_one({"_id": entry["event_id"]})
        )
    if first["state"] == ABORTED:
        revived = await store.ledger.find_one_and_update(
            {"_id": first["_id"], "state": ABORTED},
            {"$set": {"state": PENDING, "updated_at": now_utc()}},
            return_document=ReturnDocument.AFTER,
        )
        return (
            await _apply(store=store, entry=revived)
            if revived
            else await _replay(store=store, entry=entry)
        )
    # Still pending: the first attempt is in flight or was interrupted; finishing it is safe.
    return await _apply(store=store, entry=first)


async def change_tickets_again(*, store: EventStore, entry: Document) -> Document:
    fresh = {**entry, "_id": ObjectId(), "created_at": now_utc(), "updated_at": now_utc()}
    try:
        await store.ledger.insert_one(fresh)
    except DuplicateKeyError:
        return await _replay(store=store, entry=fresh)
    return await _apply(store=store, entry=fresh)


async def _current(store: EventStore, event_id: ObjectId) -> Document:
    event = await store.events.find_one({"_id": event_id})
    if event is None:
        raise EventNotFoundError(f"No event with id {event_id}.")
    return event


def _counter_filter(entry: Document, now: Any) -> Document:
    quantity = entry["quantity"]
    base: Document = {"_id": entry["event_id"], "pending_ops": {"$ne": entry["_id"]}}
    if entry["direction"] == RESERVE:
        return {
            **base,
            "status": EventStatus.SCHEDULED.value,
            "starts_at": {"$gt": now},
            "available_tickets": {"$gte": quantity},
        }
    return {
        **base,
        "$expr": {"$lte": [{"$add": ["$available_tickets", quantity]}, "$total_tickets"]},
    }


async def _apply(*, store: EventStore, entry: Document) -> Document:
    if entry["direction"] == RELEASE:
        refusal = await _release_refusal(store, entry)
        if refusal is not None:
            return await _reject(store=store, entry=entry, rejection=refusal)
    now = now_utc()
    updated = await store.events.find_one_and_update(
        _counter_filter(entry, now),
        {
            "$inc": {"available_tickets": counter_step(entry["direction"], entry["quantity"])},
            "$push": {"pending_ops": entry["_id"]},
            "$set": {"updated_at": now},
        },
        return_document=ReturnDocument.AFTER,
    )
    if updated is None:
        return await _after_refusal(store=store, entry=entry)
    return await _settle(store=store, entry=entry, event=updated)


async def _settle(*, store: EventStore, entry: Document, event: Document) -> Document:
    settled = await store.ledger.update_one(
        {"_id": entry["_id"], "state": PENDING},
        {"$set": {"state": APPLIED, "updated_at": now_utc()}},
    )
    if settled.modified_count == 0:
        current = await store.ledger.find_one({"_id": entry["_id"]})
        if current is None or current["state"] != APPLIED:
            # Declared interrupted meanwhile: this change must not stand.
            await undo_applied(store=store, entry=entry)
            return await _replay(store=store, entry=entry)
    await store.events.update_one(
        {"_id": entry["event_id"]}, {"$pull": {"pending_ops": entry["_id"]}}
    )
    event["pending_ops"] = [op for op in event.get("pending_ops", []) if op != entry["_id"]]
    return event


async def undo_applied(*, store: EventStore, entry: Document) -> None:
    """Reverse an entry's counter change if (and only if) it is still recorded as pending."""
    await store.events.update_one(
        {"_id": entry["event_id"], "pending_ops": entry["_id"]},
        {
            "$inc": {"available_tickets": -counter_step(entry["direction"], entry["quantity"])},
            "$pull": {"pending_ops": entry["_id"]},
        },
    )


async def _after_refusal(*, store: EventStore, entry: Document) -> Document:
    """Step 2 changed nothing: already applied by a concurrent replay, or a real refusal."""
    event = await store.events.find_one({"_id": entry["event_id"]})
    if event is None:
        await store.ledger.delete_one({"_id": entry["_id"], "state": PENDING})
        raise EventNotFoundError(f"No event with id {entry['event_id']}.")
    if entry["_id"] in event.get("pending_ops", []):
        return await _settle(store=store, entry=entry, event=event)
    current = await store.ledger.find_one({"_id": entry["_id"]})
    if current is not None and current["state"] == APPLIED:
        return event
    return await _reject(store=store, entry=entry, rejection=_refusal_reason(entry, event))


def _refusal_reason(entry: Document, event: Document) -> Rejection:
    if entry["direction"] == RELEASE:
        return Rejection("exceeds-total", "Releasing these tickets would exceed the total.")
    if event["status"] == EventStatus.CANCELLED:
        return Rejection("cancelled", "The event is cancelled; no tickets can be reserved.")
    if event["starts_at"] <= now_utc():
        return Rejection("started", "The event has already started; tickets are closed.")
    available = event["available_tickets"]
    return Rejection(
        "insufficient",
        f"Only {available} tickets are available; {entry['quantity']} were requested.",
    )


async def _release_refusal(store: EventStore, entry: Document) -> Rejection | None:
    reservation = await store.ledger.find_one(
        {"event_id": entry["event_id"], "reference": entry["reference"], "direction": RESERVE}
    )
    if reservation is None and await store.events.find_one({"_id": entry["event_id"]}) is None:
        await store.ledger.delete_one({"_id": entry["_id"], "state": PENDING})
        raise EventNotFoundError(f"No event with id {entry['event_id']}.")
    if reservation is None or reservation["state"] in (REJECTED, ABORTED):
        return Rejection("not-reserved", f"Reference {entry['reference']!r} holds no tickets.")
    if reservation["state"] == PENDING:
        # The reservation itself is unsettled; the caller retries once it is.
        await store.ledger.delete_one({"_id": entry["_id"], "state": PENDING})
        raise ConflictError(
            "The reservation for this reference is still being applied; retry shortly.",
            headers={"Retry-After": "1"},
            reason="reservation-pending",
        )
    if entry["quantity"] > reservation["quantity"]:
        return Rejection(
            "exceeds-reservation",
            f"Reference {entry['reference']!r} reserved {reservation['quantity']} tickets; "
            f"{entry['quantity']} cannot be released.",
        )
    return None


async def _reject(*, store: EventStore, entry: Document, rejection: Rejection) -> Document:
    recorded = await store.ledger.update_one(
        {"_id": entry["_id"], "state": PENDING},
        {
            "$set": {
                "state": REJECTED,
                "reason": rejection.reason,
                "detail": rejection.detail,
                "updated_at": now_utc(),
            }
        },
    )
    if recorded.modified_count == 0:
        return await _replay(store=store, entry=entry)
    raise rejection.error(await store.events.find_one({"_id": entry["event_id"]}))
