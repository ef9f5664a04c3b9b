"""Helpers for booking-service tests."""

from typing import Any

import httpx
from bson import ObjectId
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from booking_service.models import Booking, OutboxMessage
from booking_service.statuses import BookingStatus
from event_service.models import EventStore


async def book(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    event_id: str,
    tickets: int = 1,
    key: str | None = None,
    **extra: Any,
) -> httpx.Response:
    request_headers = {**headers, **({"Idempotency-Key": key} if key else {})}
    return await client.post(
        "/bookings",
        json={"event_id": event_id, "tickets": tickets, **extra},
        headers=request_headers,
    )


async def available(store: EventStore, event_id: str) -> int:
    event = await store.events.find_one({"_id": ObjectId(event_id)})
    assert event is not None
    return int(event["available_tickets"])


async def confirmed_tickets(sessions: async_sessionmaker[AsyncSession], event_id: str) -> int:
    async with sessions() as session:
        total = await session.scalar(
            select(func.coalesce(func.sum(Booking.tickets), 0)).where(
                Booking.event_id == event_id, Booking.status == BookingStatus.CONFIRMED
            )
        )
    return int(total or 0)


async def confirmed_by_type(
    sessions: async_sessionmaker[AsyncSession], event_id: str
) -> dict[str, int]:
    """Tickets of the confirmed bookings per ticket type (`default` for bookings of none)."""
    async with sessions() as session:
        rows = await session.execute(
            select(Booking.tickets, Booking.items).where(
                Booking.event_id == event_id, Booking.status == BookingStatus.CONFIRMED
            )
        )
    held: dict[str, int] = {}
    for tickets, items in rows:
        for item in items or [{"ticket_type_id": "default", "quantity": tickets}]:
            held[item["ticket_type_id"]] = held.get(item["ticket_type_id"], 0) + item["quantity"]
    return held


async def assert_event_accounting(
    store: EventStore, sessions: async_sessionmaker[AsyncSession], event_id: str
) -> None:
    """total - available == tickets of the confirmed bookings, and nothing left pending."""
    event = await store.events.find_one({"_id": ObjectId(event_id)})
    assert event is not None
    assert event["pending_ops"] == []
    sold = event["total_tickets"] - event["available_tickets"]
    assert sold == await confirmed_tickets(sessions, event_id)
    by_type = await confirmed_by_type(sessions, event_id)
    for type_id, kind in event["ticket_types"].items():
        assert kind["total"] - kind["available"] == by_type.pop(type_id, 0), type_id
    assert not by_type, f"confirmed tickets of types the event lacks: {by_type}"
    async with sessions() as session:
        pending = await session.scalar(
            select(func.count()).where(
                Booking.event_id == event_id, Booking.status == BookingStatus.PENDING
            )
        )
        held = await session.scalar(
            select(func.count()).where(
                Booking.event_id == event_id, Booking.release_pending.is_(True)
            )
        )
    assert (pending, held) == (0, 0)


async def outbox_for(
    sessions: async_sessionmaker[AsyncSession], booking_id: str
) -> list[OutboxMessage]:
    async with sessions() as session:
        rows = await session.execute(
            select(OutboxMessage)
            .where(OutboxMessage.booking_id == booking_id)
            .order_by(OutboxMessage.created_at)
        )
    return list(rows.scalars().all())
