"""The event catalogue: create, find, edit and cancel events."""

import re
from datetime import datetime
from typing import Any

from bson import Decimal128
from pymongo import ASCENDING, ReturnDocument

from event_service.errors import EventNotFoundError
from event_service.models import (
    Document,
    EventStore,
    parse_object_id,
    stored_types,
    stored_value,
    ticket_types_of,
)
from event_service.schemas import (
    DEFAULT_TICKET_TYPE,
    EventCreate,
    EventQuery,
    EventStatus,
    EventUpdate,
)
from event_service.service.ticket_types import check_type_rules, resize_type
from service_kit.auth import Principal, Role
from service_kit.clock import utcnow_ms
from service_kit.errors import ConflictError, ForbiddenError, UnprocessableError


async def create_event(
    *, store: EventStore, event_in: EventCreate, organizer: Principal
) -> Document:
    now = utcnow_ms()
    if event_in.starts_at <= now:
        raise UnprocessableError("starts_at must be in the future.")
    kinds = event_in.types()
    total = sum(kind.capacity for kind in kinds)
    fields = event_in.model_dump(exclude={"ticket_types", "total_tickets", "price"})
    document: Document = {
        **{key: stored_value(value) for key, value in fields.items()},
        "price": Decimal128(kinds[0].price),
        "total_tickets": total,
        "available_tickets": total,
        "ticket_types": stored_types(kinds),
        "organizer_id": organizer.subject,
        "status": EventStatus.SCHEDULED,
        "created_at": now,
        "updated_at": now,
        "pending_ops": [],
    }
    for kind in document["ticket_types"].values():
        check_type_rules(document, kind)
    result = await store.events.insert_one(document)
    document["_id"] = result.inserted_id
    return document


async def get_event(*, store: EventStore, event_id: str) -> Document:
    object_id = parse_object_id(event_id)
    document = await store.events.find_one({"_id": object_id}) if object_id else None
    if document is None:
        raise EventNotFoundError.for_id(event_id)
    return document


def _literal_pattern(text: str) -> dict[str, str]:
    return {"$regex": re.escape(text), "$options": "i"}


def _search_filter(store: EventStore, q: str) -> Document:
    if store.text_search:
        return {"$text": {"$search": q}}
    words = q.split()
    return (
        {
            "$and": [
                {
                    "$or": [
                        {field: _literal_pattern(word)}
                        for field in ("title", "description", "venue")
                    ]
                }
                for word in words
            ]
        }
        if words
        else {}
    )


def _listing_filter(store: EventStore, query: EventQuery) -> Document:
    conditions: list[Document] = [{"status": query.status}]
    starts: dict[str, datetime] = {}
    after = query.starts_after_bound(utcnow_ms())
    if after is not None:
        starts["$gt"] = after
    if query.starts_before is not None:
        starts["$lt"] = query.starts_before
    if starts:
        conditions.append({"starts_at": starts})
    if query.category is not None:
        conditions.append({"category": query.category})
    if query.city is not None:
        conditions.append({"city": {"$regex": f"^{re.escape(query.city)}$", "$options": "i"}})
    if query.organizer_id is not None:
        conditions.append({"organizer_id": query.organizer_id})
    if query.available_only:
        conditions.append({"available_tickets": {"$gt": 0}})
    if query.q:
        conditions.append(_search_filter(store, query.q))
    return {"$and": [condition for condition in conditions if condition]}


async def list_events(*, store: EventStore, query: EventQuery) -> tuple[list[Document], int]:
    listing_filter = _listing_filter(store, query)
    total = await store.events.count_documents(listing_filter)
    cursor = (
        store.events.find(listing_filter)
        .sort([("starts_at", ASCENDING), ("_id", ASCENDING)])
        .skip(query.offset)
        .limit(query.limit)
    )
    return await cursor.to_list(), total


def authorize_owner(document: Document, principal: Principal) -> None:
    if principal.role != Role.ADMIN and document["organizer_id"] != principal.subject:
        raise ForbiddenError("Only the event's organizer or an admin may change it.")


def _check_times(document: Document, update: EventUpdate, now: datetime) -> None:
    starts_at = update.starts_at or document["starts_at"]
    ends_at = update.ends_at if "ends_at" in update.model_fields_set else document.get("ends_at")
    if update.starts_at is not None and update.starts_at <= now:
        raise UnprocessableError("starts_at must be in the future.")
    if ends_at is not None and ends_at <= starts_at:
        raise UnprocessableError("ends_at must be after starts_at.")


async def update_event(
    *, store: EventStore, event_id: str, update: EventUpdate, principal: Principal
) -> Document:
    document = await get_event(store=store, event_id=event_id)
    authorize_owner(document, principal)
    if document["status"] == EventStatus.CANCELLED:
        raise ConflictError("A cancelled event cannot be edited.")
    now = utcnow_ms()
    _check_times(document, update, now)
    changes: dict[str, Any] = {
        field: stored_value(getattr(update, field))
        for field in update.model_fields_set - {"total_tickets"}
    }
    for required in ("title", "description", "venue", "category", "starts_at", "price", "currency"):
        if required in changes and changes[required] is None:
            raise UnprocessableError(f"{required} cannot be removed.")
    if "price" in changes:  # the event's price is its default type's
        changes[f"ticket_types.{DEFAULT_TICKET_TYPE}.price"] = changes["price"]
    if update.total_tickets is None or update.total_tickets == document["total_tickets"]:
        changes["updated_at"] = now
        updated = await store.events.find_one_and_update(
            {"_id": document["_id"]}, {"$set": changes}, return_document=ReturnDocument.AFTER
        )
        if updated is None:
            raise EventNotFoundError.for_id(event_id)
        return updated
    if len(ticket_types_of(document)) > 1:
        raise UnprocessableError(
            "The event sells several ticket types: change each type's capacity instead."
        )
    return await resize_type(
        store=store,
        event_id=document["_id"],
        type_id=DEFAULT_TICKET_TYPE,
        capacity=update.total_tickets,
        changes=changes,
    )


async def cancel_event(*, store: EventStore, event_id: str, principal: Principal) -> Document:
    document = await get_event(store=store, event_id=event_id)
    authorize_owner(document, principal)
    if document["status"] == EventStatus.CANCELLED:
        return document
    updated = await store.events.find_one_and_update(
        {"_id": document["_id"]},
        {"$set": {"status": EventStatus.CANCELLED, "updated_at": utcnow_ms()}},
        return_document=ReturnDocument.AFTER,
    )
    if updated is None:
        raise EventNotFoundError.for_id(event_id)
    return updated
