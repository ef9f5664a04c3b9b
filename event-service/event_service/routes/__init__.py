from event_service.routes.events import router as events_router
from event_service.routes.tickets import router as tickets_router

__all__ = ["events_router", "tickets_router"]
