"""Reading bookings."""

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from booking_service.models import Booking
from booking_service.statuses import BookingStatus
from service_kit.errors import NotFoundError


class BookingNotFoundError(NotFoundError):
    slug = "booking-not-found"


async def get_booking(*, session: AsyncSession, booking_id: uuid.UUID) -> Booking:
    booking = await session.get(Booking, booking_id)
    if booking is None:
        raise BookingNotFoundError(f"No booking with id {booking_id}.")
    return booking


async def list_bookings(
    *,
    session: AsyncSession,
    user_id: uuid.UUID | None,
    status: BookingStatus | None,
    event_id: str | None,
    limit: int,
    offset: int,
) -> tuple[list[Booking], int]:
    """One page of bookings, newest first, and how many match; `user_id` None: everyone's.

    Failed booking attempts are left out unless `status` asks for them.
    """
    query = select(Booking)
    if user_id is not None:
        query = query.where(Booking.user_id == user_id)
    if status is None:
        query = query.where(Booking.status != BookingStatus.FAILED)
    else:
        query = query.where(Booking.status == status)
    if event_id is not None:
        query = query.where(Booking.event_id == event_id)
    total = (await session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
    page = await session.execute(
        query.order_by(Booking.created_at.desc(), Booking.id.desc()).limit(limit).offset(offset)
    )
    return list(page.scalars().all()), total
