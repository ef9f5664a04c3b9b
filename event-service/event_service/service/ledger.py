"""The ticket ledger's entries and the conditional updates that move them.

Every update here is conditional on the entry's state and attempt token, so of any number of
callers (requests, replays, repair passes on several replicas) exactly one wins each step.
`inventory.py` drives a change through them; `repair.py` settles what a crash left behind.
"""

from dataclasses import dataclass

from bson import ObjectId
from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from event_service.errors import (
    ReferenceConflictError,
    RefusalReason,
    TicketConflictError,
    TicketRequestError,
)
from event_service.models import (
    SALES_OPEN_END,
    SALES_OPEN_START,
    Document,
    EventStore,
    LedgerState,
    TicketDirection,
    ticket_types_of,
)
from event_service.schemas import DEFAULT_TICKET_TYPE
from service_kit.clock import utcnow_ms
from service_kit.errors import ProblemError

# (ticket type id, quantity) per type a change moves.
Items = tuple[tuple[str, int], ...]


def entry_items(entry: Document) -> Items:
    """The types an entry moves: its `items`, or its whole quantity of the `default` type (the
    entries written before ticket types, and changes that named no type)."""
    items = entry.get("items")
    if not items:
        return ((DEFAULT_TICKET_TYPE, entry["quantity"]),)
    return tuple((item["ticket_type_id"], item["quantity"]) for item in items)


def stored_items(items: Items) -> list[Document]:
    return [{"ticket_type_id": type_id, "quantity": quantity} for type_id, quantity in items]


def counter_moves(entry: Document, sign: int = 1) -> Document:
    """The `$inc` that applies an entry (`sign` -1 undoes it): each type and the event's sum."""
    step = TicketDirection(entry["direction"]).counter_step(1) * sign
    moves: Document = {"available_tickets": step * entry["quantity"]}
    for type_id, quantity in entry_items(entry):
        moves[f"ticket_types.{type_id}.available"] = step * quantity
    return moves


@dataclass(frozen=True)
class TicketRequest:
    """One ticket change, as the ledger keys it. `items` is None when the change names no type:
    a reservation then takes the `default` type, a release what its reservation took."""

    event_id: ObjectId
    reference: str
    direction: TicketDirection
    quantity: int
    items: Items | None = None

    @classmethod
    def of_entry(cls, entry: Document) -> "TicketRequest":
        return cls(
            event_id=entry["event_id"],
            reference=entry["reference"],
            direction=TicketDirection(entry["direction"]),
            quantity=entry["quantity"],
            items=entry_items(entry) if entry.get("items") else None,
        )

    def key(self) -> Document:
        return {"event_id": self.event_id, "reference": self.reference, "direction": self.direction}

    def matches(self, entry: Document) -> bool:
        """Whether `entry` records this same change (a replay), not another one."""
        if entry["quantity"] != self.quantity:
            return False
        return self.items is None or sorted(self.items) == sorted(entry_items(entry))


@dataclass(frozen=True)
class Rejection:
    """A refused change, as the ledger records it and the caller is told."""

    reason: RefusalReason
    detail: str
    ticket_type_id: str | None = None

    @classmethod
    def of_entry(cls, entry: Document) -> "Rejection":
        return cls(RefusalReason(entry["reason"]), entry["detail"], entry.get("refused_type"))

    def recorded(self) -> Document:
        """The fields a rejected entry keeps, to answer its replays alike."""
        fields: Document = {"reason": self.reason, "detail": self.detail}
        if self.ticket_type_id is not None:
            fields["refused_type"] = self.ticket_type_id
        return fields

    def error(self, event: Document | None) -> ProblemError:
        available = event["available_tickets"] if event else None
        if self.reason == RefusalReason.REFERENCE:
            return ReferenceConflictError(self.detail, available_tickets=available)
        about = self._about_type(event)
        if self.reason.is_request_error:
            return TicketRequestError(self.detail, reason=self.reason, **about)
        return TicketConflictError(
            self.detail, reason=self.reason, available_tickets=available, **about
        )

    def _about_type(self, event: Document | None) -> Document:
        if self.ticket_type_id is None:
            return {}
        about: Document = {"ticket_type_id": self.ticket_type_id}
        kind = dict(ticket_types_of(event)).get(self.ticket_type_id) if event else None
        if kind is None or kind["hidden"]:
            return about
        about["ticket_type_available"] = kind["available"]
        if self.reason == RefusalReason.OUTSIDE_SALE_WINDOW:
            if kind["sales_start"] != SALES_OPEN_START:
                about["sales_start"] = kind["sales_start"].isoformat()
            if kind["sales_end"] != SALES_OPEN_END:
                about["sales_end"] = kind["sales_end"].isoformat()
        return about


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
                **rejection.recorded(),
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
    await store.events.update_one(
        {"_id": entry["event_id"], "pending_ops.attempt": attempt},
        {
            "$inc": counter_moves(entry, sign=-1),
            "$pull": {"pending_ops": {"attempt": attempt}},
            "$set": {"updated_at": utcnow_ms()},
        },
    )
