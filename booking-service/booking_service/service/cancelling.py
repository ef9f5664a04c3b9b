"""Cancelling a booking: the cancellation is recorded first, then the tickets are released."""

import logging

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from booking_service.clients import Clients
from booking_service.models import Booking
from booking_service.service import queries, saga
from booking_service.service.notices import booking_notice
from booking_service.statuses import BookingStatus
from service_kit.clock import utcnow
from service_kit.errors import ConflictError, ProblemError

logger = logging.getLogger(__name__)


async def cancel_booking(
    *, sessions: async_sessionmaker[AsyncSession], clients: Clients, booking: Booking
) -> Booking:
    """Cancel a confirmed booking (a cancelled one is returned as it is) and release its tickets.

    409 for a booking that is not confirmed, or whose event has started.
    """
    if booking.status == BookingStatus.CANCELLED:
        return booking
    if booking.status != BookingStatus.CONFIRMED:
        raise ConflictError(f"A {booking.status} booking cannot be cancelled.")
    if booking.event_starts_at is not None and booking.event_starts_at <= utcnow():
        raise ConflictError("The event has started; the booking can no longer be cancelled.")
    # The cancellation is recorded first, with the release still owed, so that no outcome of
    # the release call (lost answer, crash) can leave a confirmed booking without its tickets.
    async with sessions() as session:
        changed = await session.execute(
            update(Booking)
            .where(Booking.id == booking.id, Booking.status == BookingStatus.CONFIRMED)
            .values(status=BookingStatus.CANCELLED, release_pending=True, updated_at=utcnow())
        )
        cancelled_here = changed.rowcount == 1  # type: ignore[attr-defined]
        if cancelled_here:
            booking.status = BookingStatus.CANCELLED
            session.add(booking_notice(booking, "booking_cancelled"))
        await session.commit()
    if cancelled_here:
        try:
            await clients.events.release(
                event_id=booking.event_id, tickets=booking.tickets, reference=str(booking.id)
            )
        except ProblemError:
            # The cancellation stands whatever the release answered; recovery settles (or logs)
            # the release.
            logger.warning("release for cancelled booking %s deferred to recovery", booking.id)
        else:
            await saga.clear_release_pending(sessions=sessions, booking_id=booking.id)
    async with sessions() as session:
        return await queries.get_booking(session=session, booking_id=booking.id)
