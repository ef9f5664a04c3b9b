"""The steps of a booking that talk to other services, shared by requests and recovery."""

import asyncio
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from booking_service.clients.errors import OutcomeUnknownError
from booking_service.clients.events import EventsClient, EventSnapshot
from booking_service.clients.users import UsersClient
from booking_service.models import Booking
from booking_service.service.notices import booking_notice
from service_kit.clock import utcnow
from service_kit.errors import ProblemError

RESERVATION_RETRY_DELAY_SECONDS = 0.2


@dataclass(frozen=True)
class Clients:
    users: UsersClient
    events: EventsClient


class StoredProblemError(ProblemError):
    """A failure answered earlier, answered again for an idempotent replay."""

    def __init__(self, failure: dict[str, Any]) -> None:
        super().__init__(
            failure.get("detail"), headers=failure.get("headers") or {}, **failure.get("extra", {})
        )
        self.status = failure["status"]
        self.slug = failure["slug"]


def describe_failure(error: ProblemError) -> dict[str, Any]:
    return {
        "status": error.status,
        "slug": error.slug,
        "detail": error.detail,
        "headers": error.headers,
        "extra": error.extra,
    }


async def reserve_with_replays(
    *, events: EventsClient, booking: Booking, attempts: int
) -> EventSnapshot:
    """Reserve for the booking; an unknown outcome is settled by replaying the same reference."""
    last_unknown: OutcomeUnknownError | None = None
    for attempt in range(attempts):
        try:
            return await events.reserve(
                event_id=booking.event_id, tickets=booking.tickets, reference=str(booking.id)
            )
        except OutcomeUnknownError as exc:
            last_unknown = exc
        except ProblemError as exc:
            # A definitive answer, or unreachable now: either way, after an unknown outcome the
            # tickets may be held and recovery must settle them.
            if last_unknown is not None and exc.status >= 500:
                raise last_unknown from exc
            raise
        await asyncio.sleep(RESERVATION_RETRY_DELAY_SECONDS * (attempt + 1))
    assert last_unknown is not None
    raise last_unknown


async def confirm(
    *, session: AsyncSession, booking: Booking, email: str, event: EventSnapshot
) -> bool:
    """Pending -> confirmed with the event's snapshot, and its notice, in one transaction.

    `booking` is a detached copy; it is updated to match. False if the booking was no longer
    pending (a concurrent request or recovery settled it).
    """
    values: dict[str, Any] = {
        "status": "confirmed",
        "user_email": email,
        "event_title": event.title,
        "event_starts_at": event.starts_at,
        "event_timezone": event.timezone,
        "event_venue": event.venue,
        "event_city": event.city,
        "unit_price": event.price,
        "currency": event.currency,
        "total_price": event.price * Decimal(booking.tickets),
        "updated_at": utcnow(),
    }
    claimed = await session.execute(
        update(Booking).where(Booking.id == booking.id, Booking.status == "pending").values(values)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        await session.rollback()
        return False
    for name, value in values.items():
        setattr(booking, name, value)
    session.add(booking_notice(booking, "booking_confirmed"))
    await session.commit()
    return True


async def fail(
    *, session: AsyncSession, booking_id: uuid.UUID, error: ProblemError, release_pending: bool
) -> None:
    """Pending -> failed, keeping the problem so a replay of the request answers the same."""
    reason = error.extra.get("reason") or error.slug
    await session.execute(
        update(Booking)
        .where(Booking.id == booking_id, Booking.status == "pending")
        .values(
            status="failed",
            failure_reason=str(reason)[:64],
            failure=describe_failure(error),
            release_pending=release_pending,
            updated_at=utcnow(),
        )
    )
    await session.commit()


async def clear_release_pending(
    *, sessions: async_sessionmaker[AsyncSession], booking_id: uuid.UUID
) -> None:
    async with sessions() as session:
        await session.execute(
            update(Booking)
            .where(Booking.id == booking_id, Booking.release_pending.is_(True))
            .values(release_pending=False, updated_at=utcnow())
        )
        await session.commit()
