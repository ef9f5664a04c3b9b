"""The conditions of a ticket change, said twice: as the store's filter on step 2's one
conditional update (`counter_filter`), and, when that update matched nothing, as the reason
told to the caller (`refusal_reason`), read from the event as it is now."""

from datetime import datetime

from event_service.errors import RefusalReason
from event_service.models import Document, TicketDirection, sale_status, ticket_types_of
from event_service.schemas import EventStatus, TicketSaleStatus
from event_service.service.ledger import Rejection, entry_items
from service_kit.clock import utcnow_ms


def refusal_reason(entry: Document, event: Document) -> Rejection:
    if entry["direction"] == TicketDirection.RELEASE:
        return Rejection(
            RefusalReason.EXCEEDS_TOTAL, "Releasing these tickets would exceed the total."
        )
    if event["status"] == EventStatus.CANCELLED:
        return Rejection(
            RefusalReason.CANCELLED, "The event is cancelled; no tickets can be reserved."
        )
    now = utcnow_ms()
    if event["starts_at"] <= now:
        return Rejection(
            RefusalReason.STARTED, "The event has already started; tickets are closed."
        )
    kinds = dict(ticket_types_of(event))
    refusals = [
        refusal
        for type_id, quantity in entry_items(entry)
        if (refusal := _type_refusal(type_id, kinds.get(type_id), quantity, now)) is not None
    ]
    if refusals:
        return min(refusals, key=lambda refusal: _REFUSAL_ORDER.index(refusal.reason))
    available = event["available_tickets"]
    return Rejection(
        RefusalReason.INSUFFICIENT,
        f"Only {available} tickets are available; {entry['quantity']} were requested.",
    )


# When a reservation breaks several rules, the one that says most about the request is told.
_REFUSAL_ORDER = [
    RefusalReason.UNKNOWN_TICKET_TYPE,
    RefusalReason.BELOW_MINIMUM,
    RefusalReason.ABOVE_MAXIMUM,
    RefusalReason.OUTSIDE_SALE_WINDOW,
    RefusalReason.INSUFFICIENT,
]


def _type_refusal(
    type_id: str, kind: Document | None, quantity: int, now: datetime
) -> Rejection | None:
    """Why one type cannot take `quantity` now, or None if it can."""
    if kind is None or kind["hidden"]:
        return Rejection(
            RefusalReason.UNKNOWN_TICKET_TYPE, f"The event sells no ticket type {type_id}.", type_id
        )
    name = kind["name"]
    if quantity < kind["min_per_order"]:
        detail = f"{name!r} is sold at least {kind['min_per_order']} at a time; {quantity} asked."
        return Rejection(RefusalReason.BELOW_MINIMUM, detail, type_id)
    if quantity > kind["max_per_order"]:
        detail = f"{name!r} is sold at most {kind['max_per_order']} at a time; {quantity} asked."
        return Rejection(RefusalReason.ABOVE_MAXIMUM, detail, type_id)
    if sale_status(kind, now) in (TicketSaleStatus.NOT_YET, TicketSaleStatus.ENDED):
        detail = f"{name!r} is not on sale now."
        return Rejection(RefusalReason.OUTSIDE_SALE_WINDOW, detail, type_id)
    if kind["available"] < quantity:
        detail = f"Only {kind['available']} {name!r} tickets are left; {quantity} were requested."
        return Rejection(RefusalReason.INSUFFICIENT, detail, type_id)
    return None


def counter_filter(entry: Document, now: datetime) -> Document:
    """Step 2's condition: the event exists and every type can take this change now."""
    condition: Document = {"_id": entry["event_id"]}
    items = entry_items(entry)
    if entry["direction"] == TicketDirection.RESERVE:
        condition |= {"status": EventStatus.SCHEDULED, "starts_at": {"$gt": now}}
        for type_id, quantity in items:
            kind = f"ticket_types.{type_id}"
            condition |= {
                f"{kind}.available": {"$gte": quantity},
                f"{kind}.hidden": False,
                f"{kind}.sales_start": {"$lte": now},
                f"{kind}.sales_end": {"$gt": now},
                f"{kind}.min_per_order": {"$lte": quantity},
                f"{kind}.max_per_order": {"$gte": quantity},
            }
        return condition
    bounds = [{"$lte": [{"$add": ["$available_tickets", entry["quantity"]]}, "$total_tickets"]}]
    for type_id, quantity in items:
        kind = f"ticket_types.{type_id}"
        condition[f"{kind}.total"] = {"$gte": 0}  # the type exists: $add of nothing is null
        bounds.append({"$lte": [{"$add": [f"${kind}.available", quantity]}, f"${kind}.total"]})
    return {**condition, "$expr": {"$and": bounds}}
