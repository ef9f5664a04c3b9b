"""The event catalogue."""

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from event_service.deps import (
    CurrentPerson,
    DirectoryDep,
    ListingsDep,
    OrganizerPrincipal,
    StoreDep,
)
from event_service.models import event_public
from event_service.schemas import EventCreate, EventPublic, EventQuery, EventUpdate
from event_service.service import catalogue

router = APIRouter(prefix="/events", tags=["events"])

NOT_FOUND = {"description": "No event has this id"}


@router.post(
    "",
    response_model=EventPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Create an event (organizers and admins)",
    responses={
        422: {
            "description": "The body is invalid (`errors` lists the fields), or `starts_at` is "
            "not in the future"
        }
    },
)
async def create_event(
    event_in: EventCreate, organizer: OrganizerPrincipal, store: StoreDep, listings: ListingsDep
) -> EventPublic:
    document = await catalogue.create_event(store=store, event_in=event_in, organizer=organizer)
    listings.forget()
    return event_public(document, show_hidden=True)


@router.get(
    "",
    response_model=list[EventPublic],
    summary="Find events",
    description="Scheduled events that have not started, soonest first, unless the filters say "
    "otherwise. A JSON array; the number of matches is in `X-Total-Count`.",
)
async def list_events(
    response: Response,
    store: StoreDep,
    listings: ListingsDep,
    directory: DirectoryDep,
    query: Annotated[EventQuery, Query()],
) -> list[EventPublic]:
    documents, total = await listings.get(
        query,
        lambda: (
            directory.list_events(query)
            if directory is not None
            else catalogue.list_events(store=store, query=query)
        ),
    )
    response.headers["X-Total-Count"] = str(total)
    return [event_public(document) for document in documents]


@router.get(
    "/{event_id}",
    response_model=EventPublic,
    summary="One event",
    responses={404: NOT_FOUND},
)
async def read_event(event_id: str, store: StoreDep) -> EventPublic:
    return event_public(await catalogue.get_event(store=store, event_id=event_id))


@router.patch(
    "/{event_id}",
    response_model=EventPublic,
    summary="Edit an event (its organizer or an admin)",
    description="Changing `total_tickets` moves `available_tickets` by the same difference; "
    "409 when that would go below the tickets already sold. An event with several ticket "
    "types changes each type's capacity instead (`PATCH /events/{id}/ticket_types/{type_id}`); "
    "`price` is the `default` type's.",
    responses={
        403: {"description": "Only the event's organizer or an admin may edit it"},
        404: NOT_FOUND,
        409: {
            "description": "The event is cancelled, or `total_tickets` would go below the "
            "tickets already sold (`sold_tickets`), or the event changed too often meanwhile"
        },
        422: {
            "description": "The body is invalid (`errors` lists the fields), a required field "
            "is removed, `starts_at` is not in the future or `ends_at` is not after it"
        },
    },
)
async def update_event(
    event_id: str,
    update: EventUpdate,
    principal: CurrentPerson,
    store: StoreDep,
    listings: ListingsDep,
) -> EventPublic:
    try:
        document = await catalogue.update_event(
            store=store, event_id=event_id, update=update, principal=principal
        )
    finally:
        listings.forget()
    return event_public(document, show_hidden=True)


@router.post(
    "/{event_id}/cancel",
    response_model=EventPublic,
    summary="Cancel an event (its organizer or an admin)",
    description="A cancelled event takes no new reservations; releases still work.",
    responses={
        403: {"description": "Only the event's organizer or an admin may cancel it"},
        404: NOT_FOUND,
    },
)
async def cancel_event(
    event_id: str, principal: CurrentPerson, store: StoreDep, listings: ListingsDep
) -> EventPublic:
    try:
        document = await catalogue.cancel_event(store=store, event_id=event_id, principal=principal)
    finally:
        listings.forget()
    return event_public(document)
