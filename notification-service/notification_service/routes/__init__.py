from notification_service.routes.live import router as live_router
from notification_service.routes.notifications import router as notifications_router

__all__ = ["live_router", "notifications_router"]
