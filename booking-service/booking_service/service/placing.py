"""Placing a booking: record it, run the saga's steps, answer what they decided."""

import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from booking_service.clients import Clients
from booking_service.models import Booking
from booking_service.schemas import Items, items_json
from booking_service.service import failures, queries, replays, saga
from booking_service.service.admission import Admission
from booking_service.statuses import BookingStatus
from service_kit.errors import ProblemError, ServiceUnavailableError


@dataclass(frozen=True)
class BookingRequest:
    """A valid, authorized request: `user_id` is whom the booking is for."""

    user_id: uuid.UUID
    event_id: str
    tickets: int
    created_by: str
    idempotency_key: str | None
    # (ticket type id, quantity) per type; None: `tickets` of the event's default type.
    items: Items | None = None

    @property
    def fingerprint(self) -> str:
        request: dict[str, Any] = {
            "user_id": str(self.user_id),
            "event_id": self.event_id,
            "tickets": self.tickets,
        }
        if self.items is not None:
            request["items"] = sorted(self.items)
        canonical = json.dumps(request, sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()


async def place_booking(
    *,
    sessions: async_sessionmaker[AsyncSession],
    clients: Clients,
    admission: Admission,
    request: BookingRequest,
    idempotency_wait_seconds: float,
) -> Booking:
    """Verify the user, reserve the tickets, confirm; the booking is recorded before any call.

    A repeated Idempotency-Key answers what its first request answered (waiting up to
    `idempotency_wait_seconds` for it), unless that failed for the moment (503): then the retry
    is placed anew. Raises the problem the booking failed with.

    When event-service said moments ago that the event cannot take this many tickets, the
    request is refused at once, recording nothing (a repeated key is looked up first), before
    it waits for its turn (`admission`) and again once admitted.
    """
    await _refuse_if_known_unavailable(sessions=sessions, clients=clients, request=request)
    async with admission.slot():
        await _refuse_if_known_unavailable(sessions=sessions, clients=clients, request=request)
        return await _place(
            sessions=sessions,
            clients=clients,
            request=request,
            idempotency_wait_seconds=idempotency_wait_seconds,
        )


async def _refuse_if_known_unavailable(
    *, sessions: async_sessionmaker[AsyncSession], clients: Clients, request: BookingRequest
) -> None:
    refusal = clients.events.availability.refusal(request.event_id, request.tickets)
    if refusal is not None and not await replays.key_used(
        sessions=sessions, created_by=request.created_by, idempotency_key=request.idempotency_key
    ):
        raise refusal


async def _place(
    *,
    sessions: async_sessionmaker[AsyncSession],
    clients: Clients,
    request: BookingRequest,
    idempotency_wait_seconds: float,
) -> Booking:
    booking, recorded = await _record(
        sessions=sessions, request=request, idempotency_wait_seconds=idempotency_wait_seconds
    )
    if not recorded:
        return booking  # a replay: the first request's answer
    try:
        reservation = await saga.reserve(clients=clients, booking=booking)
    except ProblemError as error:
        async with sessions() as session:
            await saga.fail(
                session=session,
                booking_id=booking.id,
                error=error,
                release_pending=saga.may_hold_tickets(error, resumed=False),
            )
        raise
    try:
        async with sessions() as session:
            confirmed = await saga.confirm(
                session=session, booking=booking, reservation=reservation
            )
    except Exception as exc:
        if not failures.is_permanent(exc):
            # The tickets are held and the booking is pending: recovery confirms it later.
            raise ServiceUnavailableError(
                "The booking could not be saved; it will be completed shortly.",
                headers={"Retry-After": "5"},
                dependency="database",
            ) from exc
        # It can never be confirmed: fail it now; recovery releases the tickets it holds.
        problem = failures.not_completed(exc)
        async with sessions() as session:
            if await saga.fail(
                session=session, booking_id=booking.id, error=problem, release_pending=True
            ):
                raise problem from exc
        confirmed = False
    if confirmed:
        return booking
    # Settled meanwhile by recovery: answer what it decided.
    async with sessions() as session:
        return replays.settled_answer(
            await queries.get_booking(session=session, booking_id=booking.id)
        )


async def _record(
    *,
    sessions: async_sessionmaker[AsyncSession],
    request: BookingRequest,
    idempotency_wait_seconds: float,
) -> tuple[Booking, bool]:
    """Record the pending booking: (it, True); or, for a key already used, (the first request's
    answer, False). A key given back by a booking that failed for the moment is used anew."""
    while True:
        booking = Booking(
            user_id=request.user_id,
            event_id=request.event_id,
            tickets=request.tickets,
            items=None if request.items is None else items_json(request.items),
            status=BookingStatus.PENDING,
            idempotency_key=request.idempotency_key,
            request_fingerprint=request.fingerprint,
            created_by=request.created_by,
        )
        async with sessions() as session:
            session.add(booking)
            try:
                await session.commit()
                return booking, True
            except IntegrityError:
                await session.rollback()
        first = await replays.first_answer(
            sessions=sessions,
            created_by=request.created_by,
            idempotency_key=request.idempotency_key,
            fingerprint=request.fingerprint,
            wait_seconds=idempotency_wait_seconds,
        )
        if first is not None:
            return first, False
