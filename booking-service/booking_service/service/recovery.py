"""Settling bookings that a crash or an outage left half-done, at startup and periodically.

- A booking still `pending` after the grace period was interrupted between recording it and
  confirming it. The saga's steps run again, as a request runs them (verify the user, replay
  the reservation with the same reference, confirm): reserved -> confirmed; still unknown, or
  failing in a way a later pass may get past -> left for the next pass. A step failing for
  good (a refusal, a dependency refusing the request, the store refusing the booking's values;
  see `failures.py`) -> given up on: failed, its tickets released, and the buyer, who was never
  answered, told with a `booking_failed` notification.
- A `failed` booking with `release_pending` may hold tickets (its reservation's outcome was
  unknown). Replaying the reservation settles that outcome, then the tickets are released.

Every step is conditional on the booking's state, so replicas may run this at the same time.
"""

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from booking_service.clients import Clients
from booking_service.clients.errors import UserNotFoundError
from booking_service.models import Booking
from booking_service.service import failures, saga
from booking_service.service.notices import failure_notice
from booking_service.statuses import BookingStatus
from service_kit.clock import utcnow
from service_kit.errors import ProblemError
from service_kit.loops import run_periodically

logger = logging.getLogger(__name__)
BATCH_SIZE = 100


@dataclass
class RecoveryReport:
    confirmed: int = 0
    failed: int = 0
    released: int = 0
    deferred: int = 0
    seconds: float = 0.0


async def _settle_pending(
    sessions: async_sessionmaker[AsyncSession],
    clients: Clients,
    booking: Booking,
    report: RecoveryReport,
) -> None:
    try:
        reservation = await saga.reserve(clients=clients, booking=booking)
    except ProblemError as error:
        if not failures.is_permanent(error):
            report.deferred += 1  # still unknown: the next pass tries again
            return
        held = saga.may_hold_tickets(error, resumed=True)
        await _give_up(sessions, clients, booking, error=error, release_pending=held)
        report.failed += 1
        return
    try:
        async with sessions() as session:
            confirmed = await saga.confirm(
                session=session, booking=booking, reservation=reservation
            )
    except Exception as exc:
        if not failures.is_permanent(exc):
            raise  # logged by the caller; the next pass tries again
        logger.error("booking %s cannot be confirmed, giving up on it: %s", booking.id, exc)
        await _give_up(
            sessions,
            clients,
            booking,
            error=failures.not_completed(exc),
            release_pending=True,
            email=reservation.email,
            event_title=reservation.event.title,
        )
        report.failed += 1
        return
    if confirmed:
        report.confirmed += 1


async def _give_up(
    sessions: async_sessionmaker[AsyncSession],
    clients: Clients,
    booking: Booking,
    *,
    error: ProblemError,
    release_pending: bool,
    email: str | None = None,
    event_title: str | None = None,
) -> None:
    """Fail a booking for good, telling its buyer (if the user still exists) in the same
    transaction; the held pass releases its tickets when `release_pending`."""
    if email is None:
        email = await _buyer_email(clients, booking)
    notice = None
    if email is not None:
        notice = failure_notice(booking, email=email, event_title=event_title)
    async with sessions() as session:
        await saga.fail(
            session=session,
            booking_id=booking.id,
            error=error,
            release_pending=release_pending,
            notice=notice,
        )


async def _buyer_email(clients: Clients, booking: Booking) -> str | None:
    """The buyer's email, or None if the user is gone (no one to tell).

    Another failure is raised: the booking stays pending and the next pass tries again.
    """
    if booking.user_email is not None:
        return booking.user_email
    try:
        user = await clients.users.get_user(booking.user_id)
    except UserNotFoundError:
        return None
    return user.email


async def _release_held(
    sessions: async_sessionmaker[AsyncSession],
    clients: Clients,
    booking: Booking,
    report: RecoveryReport,
) -> None:
    try:
        if await saga.release_held(clients=clients, booking=booking):
            report.released += 1
    except ProblemError as error:
        if not failures.is_permanent(error):
            report.deferred += 1
            return
        # A definitive refusal: nothing of this booking can be released any more.
        logger.error("event-service refused to release booking %s: %s", booking.id, error)
    await saga.clear_release_pending(sessions=sessions, booking_id=booking.id)


async def recover_bookings(
    *, sessions: async_sessionmaker[AsyncSession], clients: Clients, grace: timedelta
) -> RecoveryReport:
    started = time.perf_counter()
    report = RecoveryReport()
    cutoff = utcnow() - grace
    async with sessions() as session:
        pending = (
            (
                await session.execute(
                    select(Booking)
                    .where(Booking.status == BookingStatus.PENDING, Booking.updated_at < cutoff)
                    .order_by(Booking.updated_at)
                    .limit(BATCH_SIZE)
                )
            )
            .scalars()
            .all()
        )
        held = (
            (
                await session.execute(
                    select(Booking)
                    .where(
                        Booking.status.in_((BookingStatus.FAILED, BookingStatus.CANCELLED)),
                        Booking.release_pending.is_(True),
                    )
                    .order_by(Booking.updated_at)
                    .limit(BATCH_SIZE)
                )
            )
            .scalars()
            .all()
        )
    # One booking that cannot be settled must not hold up the others behind it.
    for settle, bookings in ((_settle_pending, pending), (_release_held, held)):
        for booking in bookings:
            try:
                await settle(sessions, clients, booking, report)
            except Exception:
                logger.exception("could not settle booking %s; deferring it", booking.id)
                report.deferred += 1
    report.seconds = time.perf_counter() - started
    if pending or held:
        logger.warning(
            "recovered bookings in %.3fs: %d confirmed, %d failed, %d released, %d deferred",
            report.seconds,
            report.confirmed,
            report.failed,
            report.released,
            report.deferred,
        )
    return report


async def run_recovery_loop(
    *,
    sessions: async_sessionmaker[AsyncSession],
    clients: Clients,
    grace: timedelta,
    interval: float,
) -> None:
    async def recover() -> None:
        await recover_bookings(sessions=sessions, clients=clients, grace=grace)

    await run_periodically(recover, interval=interval, name="booking recovery")
