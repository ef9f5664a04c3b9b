from event_service.routes.events import router as events_router
from event_service.routes.ticket_types import router as ticket_types_router
from event_service.routes.tickets import router as tickets_router

__all__ = ["events_router", "ticket_types_router", "tickets_router"]
