"""MongoDB documents of event-service: the events and the ticket ledger.

An event document carries the counter (`available_tickets`) and `pending_ops`, markers
`{entry, attempt}` of ticket changes applied to the counter but not yet settled in the ledger.
The ledger holds one entry per (event, reference, direction): it makes ticket changes
idempotent and lets a repair pass finish or undo work a crash interrupted (see
`service/inventory.py`).
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from bson import Decimal128, ObjectId
from pymongo import ASCENDING, AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import OperationFailure

from event_service.schemas import DEFAULT_TIMEZONE, EventPublic

logger = logging.getLogger(__name__)

Document = dict[str, Any]

TEXT_INDEX_UNSUPPORTED = 67


class LedgerState(StrEnum):
    """Where a ledger entry stands (see `service/inventory.py` for the transitions)."""

    PENDING = "pending"
    APPLIED = "applied"
    REJECTED = "rejected"
    ABORTED = "aborted"


class TicketDirection(StrEnum):
    RESERVE = "reserve"
    RELEASE = "release"

    @classmethod
    def of(cls, delta: int) -> "TicketDirection":
        """A negative delta reserves tickets, a positive one releases them."""
        return cls.RESERVE if delta < 0 else cls.RELEASE

    def counter_step(self, quantity: int) -> int:
        """How an applied entry of `quantity` tickets moves `available_tickets`."""
        return -quantity if self is TicketDirection.RESERVE else quantity


@dataclass(frozen=True)
class EventStore:
    events: AsyncCollection[Document]
    ledger: AsyncCollection[Document]
    text_search: bool

    @classmethod
    async def open(cls, client: AsyncMongoClient[Document], database: str) -> "EventStore":
        db = client[database]
        events, ledger = db["events"], db["ticket_ledger"]
        await events.create_index([("starts_at", ASCENDING)])
        await events.create_index([("organizer_id", ASCENDING), ("starts_at", ASCENDING)])
        await events.create_index([("status", ASCENDING), ("starts_at", ASCENDING)])
        await events.create_index([("pending_ops.attempt", ASCENDING)], sparse=True)
        await events.create_index([("updated_at", ASCENDING)])  # the directory's refresh
        await ledger.create_index(
            [("event_id", ASCENDING), ("reference", ASCENDING), ("direction", ASCENDING)],
            unique=True,
        )
        await ledger.create_index([("state", ASCENDING), ("attempt_at", ASCENDING)])
        return cls(events=events, ledger=ledger, text_search=await _ensure_text_index(events))


async def _ensure_text_index(events: AsyncCollection[Document]) -> bool:
    """A text index where the store has them; SecantusDB does not, and search falls back."""
    try:
        await events.create_index(
            [("title", "text"), ("description", "text"), ("venue", "text")],
            name="event_text",
            weights={"title": 10, "venue": 5, "description": 1},
        )
    except OperationFailure as exc:
        if exc.code != TEXT_INDEX_UNSUPPORTED:
            raise
        logger.info("the store has no text indexes; search matches words by pattern instead")
        return False
    return True


def parse_object_id(value: str) -> ObjectId | None:
    return ObjectId(value) if ObjectId.is_valid(value) else None


def event_public(document: Document) -> EventPublic:
    price = document["price"]
    return EventPublic(
        id=str(document["_id"]),
        title=document["title"],
        description=document["description"],
        venue=document["venue"],
        city=document.get("city"),
        category=document["category"],
        starts_at=document["starts_at"],
        ends_at=document.get("ends_at"),
        # Events stored before time zones were recorded read as UTC.
        timezone=document.get("timezone", DEFAULT_TIMEZONE),
        total_tickets=document["total_tickets"],
        available_tickets=document["available_tickets"],
        price=price.to_decimal() if isinstance(price, Decimal128) else Decimal(price),
        currency=document["currency"],
        organizer_id=document["organizer_id"],
        status=document["status"],
        created_at=document["created_at"],
        updated_at=document["updated_at"],
    )


def stored_value(value: Any) -> Any:
    """Values as MongoDB stores them: decimals as Decimal128, never as floats."""
    if isinstance(value, Decimal):
        return Decimal128(value)
    if hasattr(value, "value") and not isinstance(value, datetime):  # enums
        return value.value
    return value
