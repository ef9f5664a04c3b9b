from booking_service.routes.bookings import router as bookings_router

__all__ = ["bookings_router"]
