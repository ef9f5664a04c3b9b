"""Building events and reading the ticket ledger in event-service tests."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from bson import ObjectId

from event_service.models import EventStore, LedgerState, TicketDirection


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
