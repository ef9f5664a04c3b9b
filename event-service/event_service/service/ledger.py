"""The ticket ledger's entries and the conditional updates that move them.

Every update here is conditional on the entry's state and attempt token, so of any number of
callers (requests, replays, repair passes on several replicas) exactly one wins each step.
`inventory.py` drives a change through them; `repair.py` settles what a crash left behind.
"""

from dataclasses import dataclass

from bson import ObjectId
from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from event_service.errors import ReferenceConflictError, RefusalReason, TicketConflictError
from event_service.models import Document, EventStore, LedgerState, TicketDirection
from service_kit.clock import utcnow_ms
from service_kit.errors import ConflictError


@dataclass(frozen=True)
class TicketRequest:
    """One ticket change, as the ledger keys it."""

    event_id: ObjectId
    reference: str
    direction: TicketDirection
    quantity: int

    @classmethod
    def of_entry(cls, entry: Document) -> "TicketRequest":
        return cls(
            event_id=entry["event_id"],
            reference=entry["reference"],
            direction=TicketDirection(entry["direction"]),
            quantity=entry["quantity"],
        )

    def key(self) -> Document:
        return {"event_id": self.event_id, "reference": self.reference, "direction": self.direction}


@dataclass(frozen=True)
class Rejection:
    """A refused change, as the ledger records it and the caller is told."""

    reason: RefusalReason
    detail: str

    def error(self, event: Document | None) -> ConflictError:
        available = event["available_tickets"] if event else None
        if self.reason == RefusalReason.REFERENCE:
            return ReferenceConflictError(self.detail, available_tickets=available)
        return TicketConflictError(self.detail, reason=self.reason, available_tickets=available)


def barred(reference: str) -> Rejection:
    """The refusal a tombstone records: the reference was released before it reserved."""
    return Rejection(
        RefusalReason.RELEASED,
        f"Reference {reference!r} was released before it reserved anything; "
        "it can no longer reserve tickets.",
    )


def is_tombstone(entry: Document) -> bool:
    """A reservation entry that a release barred: refused whatever quantity is asked."""
    return entry["direction"] == TicketDirection.RESERVE and entry.get("reason") == (
        RefusalReason.RELEASED
    )


async def bar_reservation(store: EventStore, release: Document) -> bool:
    """Record a tombstone for a reservation that was never made, so it can never be made.

    The tombstone is the reservation's own entry, rejected: the unique index makes it and a
    reservation arriving at the same moment mutually exclusive. False if the reservation's
    entry exists after all (it landed meanwhile): the caller reads it again.
    """
    now = utcnow_ms()
    rejection = barred(release["reference"])
    tombstone: Document = {
        "event_id": release["event_id"],
        "reference": release["reference"],
        "direction": TicketDirection.RESERVE,
        "quantity": release["quantity"],
        "_id": ObjectId(),
        "state": LedgerState.REJECTED,
        "reason": rejection.reason,
        "detail": rejection.detail,
        "attempt": ObjectId(),
        "attempt_at": now,
        "created_at": now,
        "updated_at": now,
    }
    try:
        await store.ledger.insert_one(tombstone)
    except DuplicateKeyError:
        return False
    return True


async def bar_aborted(store: EventStore, reservation: Document) -> bool:
    """Turn an interrupted (aborted) reservation into a tombstone, so no retry takes it over.

    Conditional on the attempt that was aborted: False if a retry took it over or its late
    counter change was completed meanwhile. A counter change of the barred attempt that lands
    anyway is undone by its holder or by the repair pass (its entry is rejected).
    """
    rejection = barred(reservation["reference"])
    aborted = {"state": LedgerState.ABORTED, "attempt": reservation["attempt"]}
    updated = await store.ledger.update_one(
        {"_id": reservation["_id"], **aborted},
        {
            "$set": {
                "state": LedgerState.REJECTED,
                "reason": rejection.reason,
                "detail": rejection.detail,
                "updated_at": utcnow_ms(),
            }
        },
    )
    return updated.modified_count == 1


def held(entry: Document) -> Document:
    """The condition under which the caller still holds the entry's attempt."""
    return {"_id": entry["_id"], "state": LedgerState.PENDING, "attempt": entry["attempt"]}


async def withdraw(store: EventStore, entry: Document) -> None:
    """Remove an entry whose attempt never touched the counter."""
    await store.ledger.delete_one(held(entry))


async def take_over(store: EventStore, entry: Document) -> Document | None:
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
    step = TicketDirection(entry["direction"]).counter_step(entry["quantity"])
    await store.events.update_one(
        {"_id": entry["event_id"], "pending_ops.attempt": attempt},
        {
            "$inc": {"available_tickets": -step},
            "$pull": {"pending_ops": {"attempt": attempt}},
            "$set": {"updated_at": utcnow_ms()},
        },
    )
