"""Building events and ledger entries, and reading the ticket ledger, in event-service tests."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from bson import ObjectId
from pymongo import ReturnDocument

from event_service.models import Document, EventStore, LedgerState, TicketDirection
from event_service.schemas import EventCreate
from event_service.service import catalogue
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
) -> Document:
    """The ledger entry a process leaves behind when it stops after step 1 of a change."""
    started = started or utcnow_ms() - timedelta(minutes=5)
    entry = {
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
    await store.ledger.insert_one(entry)
    return entry


async def move_counter(store: EventStore, entry: Document) -> Document:
    """Step 2 of the entry's change, as the holder of its attempt makes it; the event after."""
    step = TicketDirection(entry["direction"]).counter_step(entry["quantity"])
    moved: Document | None = await store.events.find_one_and_update(
        {"_id": entry["event_id"]},
        {
            "$inc": {"available_tickets": step},
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


async def outstanding_reserved(store: EventStore, event_id: str) -> int:
    """Applied reservations minus applied releases, summed from the ledger."""
    total = 0
    applied = {"event_id": ObjectId(event_id), "state": LedgerState.APPLIED}
    async for entry in store.ledger.find(applied):
        reserved = entry["direction"] == TicketDirection.RESERVE
        total += entry["quantity"] if reserved else -entry["quantity"]
    return total


async def assert_accounting_holds(store: EventStore, event_id: str) -> dict[str, Any]:
    event = await store.events.find_one({"_id": ObjectId(event_id)})
    assert event is not None
    assert event["pending_ops"] == []
    sold = event["total_tickets"] - event["available_tickets"]
    assert sold == await outstanding_reserved(store, event_id)
    assert 0 <= event["available_tickets"] <= event["total_tickets"]
    return event
