"""The ticket ledger's entries and the conditional updates that move them.

Every update here is conditional on the entry's state and attempt token, so of any number of
callers (requests, replays, repair passes on several replicas) exactly one wins each step.
`inventory.py` drives a change through them; `repair.py` settles what a crash left behind.
"""

from dataclasses import dataclass

from bson import ObjectId
from pymongo import ReturnDocument

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
        {"$inc": {"available_tickets": -step}, "$pull": {"pending_ops": {"attempt": attempt}}},
    )
