"""An event's ticket types: add one, change its rules, and move its capacity.

A type's counters (`total`, `available`) move together with the event's sums in one conditional
update, so `total_tickets - available_tickets` stays the tickets held over all types. Capacity
may rise at any time and fall only down to what is sold: the update is conditional on the type
still having that many tickets left.
"""

from typing import Any

from bson import Decimal128, ObjectId
from pymongo import ReturnDocument

from event_service.errors import EventNotFoundError, TicketTypeNotFoundError
from event_service.models import (
    SALES_OPEN_END,
    SALES_OPEN_START,
    Document,
    EventStore,
    legacy_types,
    stored_type,
    ticket_types_of,
)
from event_service.schemas import (
    DEFAULT_TICKET_TYPE,
    MAX_TICKET_TYPES,
    MAX_TOTAL_TICKETS,
    EventStatus,
    TicketTypeCreate,
    TicketTypeUpdate,
)
from service_kit.clock import utcnow_ms
from service_kit.errors import ConflictError, UnprocessableError

# Concurrent capacity changes retry on a fresh read this many times.
_RESIZE_ATTEMPTS = 5


def _open(document: Document) -> None:
    if document["status"] == EventStatus.CANCELLED:
        raise ConflictError("A cancelled event cannot be edited.")


def check_type_rules(document: Document, kind: Document) -> None:
    """A stored type's window and per-order limits make sense for the event (422 if not)."""
    if kind["sales_end"] <= kind["sales_start"]:
        raise UnprocessableError(
            f"Ticket type {kind['name']!r}: sales_end must be after sales_start."
        )
    if kind["sales_end"] != SALES_OPEN_END and kind["sales_end"] > document["starts_at"]:
        raise UnprocessableError(f"Ticket type {kind['name']!r} cannot be sold after the start.")
    if kind["max_per_order"] < kind["min_per_order"]:
        raise UnprocessableError(
            f"Ticket type {kind['name']!r}: max_per_order must not be below min_per_order."
        )


async def add_type(*, store: EventStore, document: Document, kind: TicketTypeCreate) -> Document:
    """Add a type at the end of the event's list; its tickets join the event's counters."""
    _open(document)
    kinds = ticket_types_of(document)
    if len(kinds) >= MAX_TICKET_TYPES:
        raise UnprocessableError(f"An event sells at most {MAX_TICKET_TYPES} ticket types.")
    if document["total_tickets"] + kind.capacity > MAX_TOTAL_TICKETS:
        raise UnprocessableError(f"An event holds at most {MAX_TOTAL_TICKETS} tickets.")
    stored = stored_type(kind, position=max(entry["position"] for _, entry in kinds) + 1)
    check_type_rules(document, stored)
    updated: Document | None = await store.events.find_one_and_update(
        {"_id": document["_id"], "status": EventStatus.SCHEDULED},
        {
            "$set": {f"ticket_types.{ObjectId()}": stored, "updated_at": utcnow_ms()},
            "$inc": {"total_tickets": kind.capacity, "available_tickets": kind.capacity},
        },
        return_document=ReturnDocument.AFTER,
    )
    if updated is None:
        raise ConflictError("The event was cancelled meanwhile.")
    return updated


def _rule_changes(update: TicketTypeUpdate) -> dict[str, Any]:
    """The stored form of the fields `update` sets, counters and capacity aside."""
    changes: dict[str, Any] = {}
    for field in update.model_fields_set - {"capacity"}:
        value = getattr(update, field)
        if field == "price":
            value = Decimal128(value)
        elif field == "sales_start" and value is None:
            value = SALES_OPEN_START
        elif field == "sales_end" and value is None:
            value = SALES_OPEN_END
        changes[field] = value
    return changes


async def update_type(
    *, store: EventStore, document: Document, type_id: str, update: TicketTypeUpdate
) -> Document:
    """Change a type's rules and capacity; 409 if the capacity would go below what is sold."""
    _open(document)
    kinds = dict(ticket_types_of(document))
    if type_id not in kinds:
        raise TicketTypeNotFoundError.for_id(type_id)
    rules = _rule_changes(update)
    check_type_rules(document, {**kinds[type_id], **rules})
    changes = {f"ticket_types.{type_id}.{field}": value for field, value in rules.items()}
    if type_id == DEFAULT_TICKET_TYPE and "price" in rules:
        changes["price"] = rules["price"]
    return await resize_type(
        store=store,
        event_id=document["_id"],
        type_id=type_id,
        capacity=update.capacity,
        changes=changes,
    )


async def resize_type(
    *,
    store: EventStore,
    event_id: ObjectId,
    type_id: str,
    capacity: int | None,
    changes: dict[str, Any],
) -> Document:
    """Set `changes` and move the type's capacity to `capacity` (None: keep it), never below
    the tickets already sold of it."""
    for _ in range(_RESIZE_ATTEMPTS):
        current = await store.events.find_one({"_id": event_id})
        if current is None:
            raise EventNotFoundError.for_id(event_id)
        kind = dict(ticket_types_of(current)).get(type_id)
        if kind is None:
            raise TicketTypeNotFoundError.for_id(type_id)
        difference = 0 if capacity is None else capacity - kind["total"]
        sold = kind["total"] - kind["available"]
        if kind["available"] + difference < 0:
            raise ConflictError(
                f"{sold} tickets of {kind['name']!r} are already sold; "
                "its capacity cannot go below that.",
                sold_tickets=sold,
            )
        if current["total_tickets"] + difference > MAX_TOTAL_TICKETS:
            raise UnprocessableError(f"An event holds at most {MAX_TOTAL_TICKETS} tickets.")
        prefix = f"ticket_types.{type_id}"
        updated: Document | None = await store.events.find_one_and_update(
            {
                "_id": event_id,
                "status": EventStatus.SCHEDULED,
                f"{prefix}.total": kind["total"],
                f"{prefix}.available": {"$gte": -difference},
            },
            {
                "$inc": {
                    "total_tickets": difference,
                    "available_tickets": difference,
                    f"{prefix}.total": difference,
                    f"{prefix}.available": difference,
                },
                "$set": {**changes, "updated_at": utcnow_ms()},
            },
            return_document=ReturnDocument.AFTER,
        )
        if updated is not None:
            return updated
        if current["status"] == EventStatus.CANCELLED:
            raise ConflictError("A cancelled event cannot be edited.")
    raise ConflictError("The event is changing too fast; try again.")


async def type_untyped_events(*, store: EventStore) -> int:
    """Give every event stored before ticket types their one `default` type, holding the
    event's counters; returns how many were given one. Run at startup, before any repair.

    Conditional on the counters read, so a reservation by a replica still running the old code
    is never overwritten: the event is read again and tried again.
    """
    typed = 0
    async for document in store.events.find({"ticket_types": {"$exists": False}}):
        for _ in range(_RESIZE_ATTEMPTS):
            updated = await store.events.update_one(
                {
                    "_id": document["_id"],
                    "ticket_types": {"$exists": False},
                    "total_tickets": document["total_tickets"],
                    "available_tickets": document["available_tickets"],
                },
                {"$set": {"ticket_types": legacy_types(document)}},
            )
            if updated.modified_count == 1:
                typed += 1
                break
            current = await store.events.find_one(
                {"_id": document["_id"], "ticket_types": {"$exists": False}}
            )
            if current is None:
                break
            document = current
    return typed
