"""An event's ticket types, managed by its organizer."""

from fastapi import APIRouter, status

from event_service.deps import ListingsDep, OwnedEvent, StoreDep
from event_service.models import event_public, ticket_types_of, type_public
from event_service.schemas import EventPublic, TicketTypeCreate, TicketTypePublic, TicketTypeUpdate
from event_service.service import ticket_types
from service_kit.clock import utcnow_ms

router = APIRouter(prefix="/events/{event_id}/ticket_types", tags=["ticket types"])


@router.get(
    "",
    response_model=list[TicketTypePublic],
    summary="Every ticket type of an event, hidden ones too (its organizer or an admin)",
)
async def list_ticket_types(document: OwnedEvent) -> list[TicketTypePublic]:
    now = utcnow_ms()
    return [type_public(type_id, kind, now) for type_id, kind in ticket_types_of(document)]


@router.post(
    "",
    response_model=EventPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Add a ticket type (its organizer or an admin)",
    description="The type goes after the others; its capacity joins the event's tickets. "
    "Returns the event with every type, hidden ones included.",
    responses={
        409: {"description": "The event is cancelled"},
        422: {"description": "The body is invalid, or the event would hold too many"},
    },
)
async def add_ticket_type(
    document: OwnedEvent, kind: TicketTypeCreate, store: StoreDep, listings: ListingsDep
) -> EventPublic:
    try:
        updated = await ticket_types.add_type(store=store, document=document, kind=kind)
    finally:
        listings.forget()
    return event_public(updated, show_hidden=True)


@router.patch(
    "/{type_id}",
    response_model=EventPublic,
    summary="Change a ticket type (its organizer or an admin)",
    description="Absent fields stay; `sales_start`/`sales_end` set to null open that side of "
    "the window. `capacity` may rise at any time and fall only down to the tickets of this "
    "type already sold (409, with `sold_tickets`). Returns the event with every type; 404 "
    "(`ticket-type-not-found`) when the event sells no type with this id.",
    responses={
        409: {"description": "The event is cancelled, or the capacity is below what is sold"},
        422: {"description": "The body is invalid, or the rules contradict each other"},
    },
)
async def update_ticket_type(
    document: OwnedEvent,
    type_id: str,
    update: TicketTypeUpdate,
    store: StoreDep,
    listings: ListingsDep,
) -> EventPublic:
    try:
        updated = await ticket_types.update_type(
            store=store, document=document, type_id=type_id, update=update
        )
    finally:
        listings.forget()
    return event_public(updated, show_hidden=True)
