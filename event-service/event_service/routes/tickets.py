"""The ticket inventory: the one place tickets are counted."""

from fastapi import APIRouter

from event_service.deps import InventoryPrincipal, ListingsDep, StoreDep
from event_service.errors import TicketConflictProblem, TicketRequestProblem
from event_service.models import event_public
from event_service.schemas import EventPublic, TicketChange
from event_service.service import inventory
from service_kit.openapi import RETRY_AFTER

router = APIRouter(prefix="/events", tags=["tickets"])


@router.put(
    "/{event_id}/update_tickets",
    response_model=EventPublic,
    summary="Reserve or release tickets (services and admins)",
    description="`delta` < 0 reserves, > 0 releases, for the booking named by `reference`. "
    "Atomic and idempotent per (event, reference, direction): a replay returns the first "
    "outcome without applying twice. Returns the event after the change. 409 when too few "
    "tickets are left (the body has `available_tickets`), the event is cancelled or started, "
    "or a release does not match a reservation. A release may come first: a release of a "
    "reference that reserved nothing is refused as `not-reserved` and bars the reference for "
    "good, so a reservation with it arriving later is refused as `released` and takes no "
    "tickets. A caller that gave up on a reservation can therefore release it at once, "
    "whether or not the reservation ever arrives. `ticket_type_id` or `items` name the ticket "
    "types (several types are reserved all or none); a change naming none reserves the "
    "`default` type, and a release naming none gives back what its reservation took.",
    responses={
        404: {"description": "No event has this id"},
        409: {
            "description": "Refused; `reason` says why: `insufficient` (too few left, see "
            "`available_tickets`), `cancelled`, `started`, `not-reserved` (a release of a "
            "reference that reserved nothing; the reference is barred from then on), "
            "`released` (a reservation whose reference was released first: nothing is held), "
            "`exceeds-reservation`, `exceeds-total`, `reference` (used for another quantity) "
            "`outside-sale-window` (the type's window is in `sales_start`/`sales_end`) "
            "or `in-progress` (an earlier request for this change still runs: retry after "
            "`Retry-After`)",
            "model": TicketConflictProblem,
            "headers": RETRY_AFTER,
        },
        422: {
            "description": "The body is invalid, or `reason` says what no order may ask: "
            "`unknown-ticket-type`, `below-minimum` or `above-maximum` (the type's per-order "
            "limits; `ticket_type_id` names it), `items-required` (a partial release of "
            "several types must name them)",
            "model": TicketRequestProblem,
        },
    },
)
async def update_tickets(
    event_id: str,
    change: TicketChange,
    _: InventoryPrincipal,
    store: StoreDep,
    listings: ListingsDep,
) -> EventPublic:
    try:
        document = await inventory.change_tickets(store=store, event_id=event_id, change=change)
    finally:
        listings.forget()  # even a refusal may follow a change (a take-over, an undo)
    return event_public(document, show_hidden=True)  # services book hidden types too
