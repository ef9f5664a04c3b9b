"""Placing, reading and cancelling bookings."""

import asyncio
import hashlib
import json
import logging
import time
import uuid
from dataclasses import dataclass

from fastapi.exceptions import RequestValidationError
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from booking_service.clients.errors import (
    DependencyUnavailableError,
    EventNotFoundError,
    OutcomeUnknownError,
    TicketsUnavailableError,
)
from booking_service.config import BookingSettings
from booking_service.models import Booking
from booking_service.schemas import BookingCreate
from booking_service.service import saga
from booking_service.service.notices import booking_notice
from service_kit.auth import Principal, Role
from service_kit.clock import utcnow
from service_kit.errors import (
    ConflictError,
    ForbiddenError,
    NotFoundError,
    ProblemError,
    ServiceUnavailableError,
    UnprocessableError,
)

REPLAY_POLL_SECONDS = 0.05
logger = logging.getLogger(__name__)


class BookingNotFoundError(NotFoundError):
    slug = "booking-not-found"


class IdempotencyKeyReusedError(UnprocessableError):
    slug = "idempotency-key-reused"


@dataclass(frozen=True)
class BookingRequest:
    user_id: uuid.UUID
    event_id: str
    tickets: int
    created_by: str
    idempotency_key: str | None

    @property
    def fingerprint(self) -> str:
        canonical = json.dumps(
            {"user_id": str(self.user_id), "event_id": self.event_id, "tickets": self.tickets},
            sort_keys=True,
        )
        return hashlib.sha256(canonical.encode()).hexdigest()


def booking_request(
    *,
    principal: Principal,
    booking_in: BookingCreate,
    idempotency_key: str | None,
    settings: BookingSettings,
) -> BookingRequest:
    maximum = settings.max_tickets_per_booking
    if booking_in.tickets > maximum:
        raise RequestValidationError(
            [
                {
                    "loc": ("body", "tickets"),
                    "msg": f"Input should be less than or equal to {maximum}",
                    "type": "less_than_equal",
                }
            ]
        )
    if principal.role == Role.SERVICE:
        raise ForbiddenError("Bookings are made by people; a service cannot book.")
    user_id = booking_in.user_id or principal.user_id
    if user_id is None:
        raise ForbiddenError("The token names no user.")
    if user_id != principal.user_id and principal.role != Role.ADMIN:
        raise ForbiddenError("Only admins may book on someone else's behalf.")
    return BookingRequest(
        user_id=user_id,
        event_id=booking_in.event_id,
        tickets=booking_in.tickets,
        created_by=principal.subject,
        idempotency_key=idempotency_key,
    )


async def place_booking(
    *,
    sessions: async_sessionmaker[AsyncSession],
    clients: saga.Clients,
    settings: BookingSettings,
    request: BookingRequest,
) -> Booking:
    """Verify the user, reserve the tickets, confirm; the booking is recorded before any call."""
    booking = Booking(
        user_id=request.user_id,
        event_id=request.event_id,
        tickets=request.tickets,
        status="pending",
        idempotency_key=request.idempotency_key,
        request_fingerprint=request.fingerprint,
        created_by=request.created_by,
    )
    async with sessions() as session:
        session.add(booking)
        try:
            await session.commit()
        except IntegrityError:
            await session.rollback()
            return await _replay(sessions=sessions, request=request, settings=settings)
    try:
        user = await clients.users.get_user(request.user_id)
        event = await saga.reserve_with_replays(
            events=clients.events, booking=booking, attempts=settings.reservation_attempts
        )
    except ProblemError as error:
        maybe_reserved = isinstance(error, OutcomeUnknownError)
        async with sessions() as session:
            await saga.fail(
                session=session, booking_id=booking.id, error=error, release_pending=maybe_reserved
            )
        raise
    try:
        async with sessions() as session:
            confirmed = await saga.confirm(
                session=session, booking=booking, email=user.email, event=event
            )
    except Exception as exc:
        # The tickets are held and the booking is pending: recovery confirms it later.
        raise ServiceUnavailableError(
            "The booking could not be saved; it will be completed shortly.",
            headers={"Retry-After": "5"},
            dependency="database",
        ) from exc
    if not confirmed:  # settled meanwhile by recovery: answer what it decided
        settled = await _load(sessions, booking.id)
        if settled.status == "failed" and settled.failure:
            raise saga.StoredProblemError(settled.failure)
        return settled
    return booking


async def _load(sessions: async_sessionmaker[AsyncSession], booking_id: uuid.UUID) -> Booking:
    async with sessions() as session:
        booking = await session.get(Booking, booking_id)
    if booking is None:
        raise BookingNotFoundError(f"No booking with id {booking_id}.")
    return booking


async def _replay(
    *,
    sessions: async_sessionmaker[AsyncSession],
    request: BookingRequest,
    settings: BookingSettings,
) -> Booking:
    """The same Idempotency-Key again: answer what the first request answered."""
    deadline = time.monotonic() + settings.idempotency_wait_seconds
    while True:
        async with sessions() as session:
            first = (
                await session.execute(
                    select(Booking).where(
                        Booking.created_by == request.created_by,
                        Booking.idempotency_key == request.idempotency_key,
                    )
                )
            ).scalar_one()
        if first.request_fingerprint != request.fingerprint:
            raise IdempotencyKeyReusedError(
                "This Idempotency-Key was used for a different booking request."
            )
        if first.status == "failed" and first.failure:
            raise saga.StoredProblemError(first.failure)
        if first.status != "pending":
            return first
        if time.monotonic() >= deadline:
            raise ConflictError(
                "The first request with this Idempotency-Key is still running.",
                headers={"Retry-After": "1"},
            )
        await asyncio.sleep(REPLAY_POLL_SECONDS)


def _authorize(booking: Booking, principal: Principal) -> None:
    if principal.role != Role.ADMIN and booking.user_id != principal.user_id:
        raise ForbiddenError("This booking belongs to someone else.")


async def get_booking(
    *, session: AsyncSession, booking_id: uuid.UUID, principal: Principal
) -> Booking:
    booking = await session.get(Booking, booking_id)
    if booking is None:
        raise BookingNotFoundError(f"No booking with id {booking_id}.")
    _authorize(booking, principal)
    return booking


async def list_bookings(
    *,
    session: AsyncSession,
    principal: Principal,
    status: str | None,
    event_id: str | None,
    user_id: uuid.UUID | None,
    limit: int,
    offset: int,
) -> tuple[list[Booking], int]:
    query = select(Booking)
    if principal.role == Role.ADMIN:
        if user_id is not None:
            query = query.where(Booking.user_id == user_id)
    else:
        if user_id is not None and user_id != principal.user_id:
            raise ForbiddenError("Only admins may list other users' bookings.")
        query = query.where(Booking.user_id == principal.user_id)
    if status is not None:
        query = query.where(Booking.status == status)
    if event_id is not None:
        query = query.where(Booking.event_id == event_id)
    total = (await session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
    page = await session.execute(
        query.order_by(Booking.created_at.desc(), Booking.id.desc()).limit(limit).offset(offset)
    )
    return list(page.scalars().all()), total


async def cancel_booking(
    *,
    sessions: async_sessionmaker[AsyncSession],
    clients: saga.Clients,
    booking_id: uuid.UUID,
    principal: Principal,
) -> Booking:
    async with sessions() as session:
        booking = await get_booking(session=session, booking_id=booking_id, principal=principal)
    if booking.status == "cancelled":
        return booking
    if booking.status != "confirmed":
        raise ConflictError(f"A {booking.status} booking cannot be cancelled.")
    if booking.event_starts_at is not None and booking.event_starts_at <= utcnow():
        raise ConflictError("The event has started; the booking can no longer be cancelled.")
    # The cancellation is recorded first, with the release still owed, so that no outcome of
    # the release call (lost answer, crash) can leave a confirmed booking without its tickets.
    async with sessions() as session:
        changed = await session.execute(
            update(Booking)
            .where(Booking.id == booking.id, Booking.status == "confirmed")
            .values(status="cancelled", release_pending=True, updated_at=utcnow())
        )
        cancelled_here = changed.rowcount == 1  # type: ignore[attr-defined]
        if cancelled_here:
            booking.status = "cancelled"
            session.add(booking_notice(booking, "booking_cancelled"))
        await session.commit()
    if cancelled_here:
        try:
            await clients.events.release(
                event_id=booking.event_id, tickets=booking.tickets, reference=str(booking.id)
            )
        except (DependencyUnavailableError, TicketsUnavailableError, EventNotFoundError):
            # The cancellation stands either way; recovery settles (or logs) the release.
            logger.warning("release for cancelled booking %s deferred to recovery", booking.id)
        else:
            await saga.clear_release_pending(sessions=sessions, booking_id=booking.id)
    return await _load(sessions, booking.id)
