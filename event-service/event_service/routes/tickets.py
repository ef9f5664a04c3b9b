"""The ticket inventory: the one place tickets are counted."""

from fastapi import APIRouter

from event_service.deps import InventoryPrincipal, StoreDep
from event_service.errors import TicketConflictProblem
from event_service.models import event_public
from event_service.routes.answers import EVENT_NOT_FOUND, RETRY_AFTER, UNAUTHENTICATED, problem
from event_service.schemas import EventPublic, TicketChange
from event_service.service import inventory

router = APIRouter(prefix="/events", tags=["tickets"])


@router.put(
    "/{event_id}/update_tickets",
    response_model=EventPublic,
    summary="Reserve or release tickets (services and admins)",
    description="`delta` < 0 reserves, > 0 releases, for the booking named by `reference`. "
    "Atomic and idempotent per (event, reference, direction): a replay returns the first "
    "outcome without applying twice. Returns the event after the change. 409 when too few "
    "tickets are left (the body has `available_tickets`), the event is cancelled or started, "
    "or a release does not match a reservation.",
    responses={
        401: UNAUTHENTICATED,
        403: problem("Only services and admins change tickets"),
        404: EVENT_NOT_FOUND,
        409: problem(
            "Refused, `reason` says why: `insufficient` (too few left; see "
            "`available_tickets`), `cancelled`, `started`, `not-reserved`, "
            "`exceeds-reservation`, `exceeds-total`, `reference` (used for another quantity), "
            "or `in-progress` (an earlier request for this change is still running: retry after "
            "`Retry-After`)",
            TicketConflictProblem,
            headers=RETRY_AFTER,
        ),
        422: problem("The body is invalid; `errors` lists the fields"),
    },
)
async def update_tickets(
    event_id: str, change: TicketChange, _: InventoryPrincipal, store: StoreDep
) -> EventPublic:
    document = await inventory.change_tickets(store=store, event_id=event_id, change=change)
    return event_public(document)
