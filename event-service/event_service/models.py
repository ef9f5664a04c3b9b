"""MongoDB documents of event-service: the events and the ticket ledger.

An event document carries its ticket types, a map `ticket_types.<id>` of each type's rules and
counters (`total`, `available`), the event's own counters (`total_tickets`, `available_tickets`:
the sums over its types, moved in the same updates) and `pending_ops`, markers
`{entry, attempt}` of ticket changes applied to the counters but not yet settled in the ledger.
A type's absent sale window is stored as the earliest and latest times a date may take, so a
reservation's one conditional update can compare against it.
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

from event_service.schemas import (
    DEFAULT_TICKET_TYPE,
    DEFAULT_TIMEZONE,
    EventPublic,
    TicketSaleStatus,
    TicketTypeCreate,
    TicketTypePublic,
)
from service_kit.clock import utcnow_ms
from service_kit.fields import EARLIEST, LATEST

# An absent sale window's edges, as stored (BSON dates keep milliseconds).
SALES_OPEN_START = EARLIEST
SALES_OPEN_END = LATEST.replace(microsecond=999_000)

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


def decimal_of(value: Any) -> Decimal:
    return value.to_decimal() if isinstance(value, Decimal128) else Decimal(value)


def stored_type(kind: TicketTypeCreate, *, position: int) -> Document:
    """A ticket type as the event document keeps it, counters included."""
    return {
        "name": kind.name,
        "description": kind.description,
        "price": Decimal128(kind.price),
        "total": kind.capacity,
        "available": kind.capacity,
        "sales_start": kind.sales_start or SALES_OPEN_START,
        "sales_end": kind.sales_end or SALES_OPEN_END,
        "min_per_order": kind.min_per_order,
        "max_per_order": kind.max_per_order,
        "hidden": kind.hidden,
        "position": position,
    }


def stored_types(kinds: list[TicketTypeCreate]) -> Document:
    """The map of an event's types: the first is `default`, the others get fresh ids."""
    ids = [DEFAULT_TICKET_TYPE, *(str(ObjectId()) for _ in kinds[1:])]
    return {
        type_id: stored_type(kind, position=index)
        for index, (type_id, kind) in enumerate(zip(ids, kinds, strict=True))
    }


def legacy_types(document: Document) -> Document:
    """The one `default` type of an event stored before ticket types existed."""
    kind = stored_type(
        TicketTypeCreate.one_pool(
            capacity=document["total_tickets"], price=decimal_of(document.get("price", "0"))
        ),
        position=0,
    )
    kind["available"] = document["available_tickets"]
    return {DEFAULT_TICKET_TYPE: kind}


def sale_status(kind: Document, now: datetime) -> TicketSaleStatus:
    if now < kind["sales_start"]:
        return TicketSaleStatus.NOT_YET
    if now >= kind["sales_end"]:
        return TicketSaleStatus.ENDED
    if kind["available"] <= 0:
        return TicketSaleStatus.SOLD_OUT
    return TicketSaleStatus.ON_SALE


def _window_edge(value: datetime, sentinel: datetime) -> datetime | None:
    return None if value == sentinel else value


def type_public(type_id: str, kind: Document, now: datetime) -> TicketTypePublic:
    return TicketTypePublic(
        id=type_id,
        name=kind["name"],
        description=kind["description"],
        price=decimal_of(kind["price"]),
        capacity=kind["total"],
        available=kind["available"],
        sales_start=_window_edge(kind["sales_start"], SALES_OPEN_START),
        sales_end=_window_edge(kind["sales_end"], SALES_OPEN_END),
        min_per_order=kind["min_per_order"],
        max_per_order=kind["max_per_order"],
        hidden=kind["hidden"],
        sale_status=sale_status(kind, now),
    )


def ticket_types_of(document: Document) -> list[tuple[str, Document]]:
    """The event's types as (id, stored type), in their order."""
    kinds = document.get("ticket_types") or legacy_types(document)
    return sorted(kinds.items(), key=lambda pair: pair[1]["position"])


def event_public(document: Document, *, show_hidden: bool = False) -> EventPublic:
    """The event as the API shows it; hidden types only when `show_hidden` (its organizer)."""
    price = document["price"]
    now = utcnow_ms()
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
        price=decimal_of(price),
        currency=document["currency"],
        organizer_id=document["organizer_id"],
        status=document["status"],
        created_at=document["created_at"],
        updated_at=document["updated_at"],
        ticket_types=[
            type_public(type_id, kind, now)
            for type_id, kind in ticket_types_of(document)
            if show_hidden or not kind["hidden"]
        ],
    )


def stored_value(value: Any) -> Any:
    """Values as MongoDB stores them: decimals as Decimal128, never as floats."""
    if isinstance(value, Decimal):
        return Decimal128(value)
    if hasattr(value, "value") and not isinstance(value, datetime):  # enums
        return value.value
    return value
