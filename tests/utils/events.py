"""Building events and ledger entries, and reading the ticket ledger, in event-service tests."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from bson import ObjectId
from pymongo import ReturnDocument

from event_service.models import Document, EventStore, LedgerState, TicketDirection
from event_service.schemas import DEFAULT_TICKET_TYPE, EventCreate
from event_service.service import catalogue
from event_service.service.ledger import counter_moves, entry_items
from service_kit.auth import Principal, Role
from service_kit.clock import utcnow_ms


def event_body(**overrides: Any) -> dict[str, Any]:
    starts = datetime.now(UTC) + timedelta(days=30)
    body: dict[str, Any] = {
        "title": "Spring Concert",
        "description": "An evening of chamber music.",
        "venue": "Town Hall",
        "city": "Ghent",
        "category": "concert",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "total_tickets": 100,
        "price": "25.00",
        "currency": "EUR",
    }
    body.update(overrides)
    return body


async def create_event(
    client: httpx.AsyncClient, headers: dict[str, str], **overrides: Any
) -> dict[str, Any]:
    response = await client.post("/events", json=event_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    event: dict[str, Any] = response.json()
    return event


async def insert_event(store: EventStore, **overrides: Any) -> Document:
    """An event created through the catalogue, without HTTP, for service-level tests."""
    organizer = Principal(subject=str(ObjectId()), role=Role.ORGANIZER)
    event_in = EventCreate.model_validate(event_body(**overrides))
    return await catalogue.create_event(store=store, event_in=event_in, organizer=organizer)


async def interrupted_entry(
    store: EventStore,
    event_id: ObjectId,
    reference: str,
    quantity: int,
    *,
    direction: TicketDirection = TicketDirection.RESERVE,
    state: LedgerState = LedgerState.PENDING,
    started: datetime | None = None,
    items: dict[str, int] | None = None,
) -> Document:
    """The ledger entry a process leaves behind when it stops after step 1 of a change
    (of the `default` type, or of the types and quantities in `items`)."""
    started = started or utcnow_ms() - timedelta(minutes=5)
    entry: Document = {
        "_id": ObjectId(),
        "event_id": event_id,
        "reference": reference,
        "direction": direction,
        "quantity": quantity,
        "state": state,
        "attempt": ObjectId(),
        "attempt_at": started,
        "created_at": started,
        "updated_at": started,
    }
    if items is not None:
        entry["items"] = [{"ticket_type_id": kind, "quantity": n} for kind, n in items.items()]
    await store.ledger.insert_one(entry)
    return entry


async def move_counter(store: EventStore, entry: Document) -> Document:
    """Step 2 of the entry's change, as the holder of its attempt makes it; the event after."""
    moved: Document | None = await store.events.find_one_and_update(
        {"_id": entry["event_id"]},
        {
            "$inc": counter_moves(entry),
            "$push": {"pending_ops": {"entry": entry["_id"], "attempt": entry["attempt"]}},
        },
        return_document=ReturnDocument.AFTER,
    )
    assert moved is not None
    return moved


async def ledger_entries(store: EventStore, event_id: ObjectId) -> list[Document]:
    """The event's ledger entries, oldest first."""
    return await store.ledger.find({"event_id": event_id}).sort("_id", 1).to_list()


async def change_tickets(
    client: httpx.AsyncClient, event_id: str, headers: dict[str, str], delta: int, reference: str
) -> httpx.Response:
    return await client.put(
        f"/events/{event_id}/update_tickets",
        json={"delta": delta, "reference": reference},
        headers=headers,
    )


async def set_counters(
    store: EventStore, event_id: ObjectId, *, available: int, total: int | None = None
) -> None:
    """Force the counters of an event with one (`default`) type, as if sold or resized
    elsewhere: the event's and its type's alike."""
    default = f"ticket_types.{DEFAULT_TICKET_TYPE}"
    counters = {"available_tickets": available, f"{default}.available": available}
    if total is not None:
        counters |= {"total_tickets": total, f"{default}.total": total}
    await store.events.update_one({"_id": event_id}, {"$set": counters})


async def outstanding_reserved(store: EventStore, event_id: str) -> dict[str, int]:
    """Applied reservations minus applied releases per ticket type, summed from the ledger."""
    held: dict[str, int] = {}
    applied = {"event_id": ObjectId(event_id), "state": LedgerState.APPLIED}
    async for entry in store.ledger.find(applied):
        sign = 1 if entry["direction"] == TicketDirection.RESERVE else -1
        for type_id, quantity in entry_items(entry):
            held[type_id] = held.get(type_id, 0) + sign * quantity
    return held


async def assert_accounting_holds(store: EventStore, event_id: str) -> dict[str, Any]:
    """Every type's `total - available` is what the ledger holds of it, never beyond its
    total, and the event's counters are the sums over its types."""
    event = await store.events.find_one({"_id": ObjectId(event_id)})
    assert event is not None
    assert event["pending_ops"] == []
    held = await outstanding_reserved(store, event_id)
    kinds = event["ticket_types"]
    for type_id, kind in kinds.items():
        assert kind["total"] - kind["available"] == held.pop(type_id, 0), type_id
        assert 0 <= kind["available"] <= kind["total"], type_id
    assert not any(held.values()), f"tickets held of types the event lacks: {held}"
    assert event["total_tickets"] == sum(kind["total"] for kind in kinds.values())
    assert event["available_tickets"] == sum(kind["available"] for kind in kinds.values())
    return event
