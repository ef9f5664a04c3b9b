"""The steps of a booking's saga, taken alike by requests and by recovery.

    pending --reserve, confirm--> confirmed           (with its notice, in one transaction)
    pending --refused--> failed                       (nothing held)
    pending --outcome unknown--> failed, release_pending
    failed, then a reservation lands for it --confirm--> failed, release_pending
    failed or cancelled, release_pending --release_held--> release settled

A release may reach event-service before the reservation it settles (a reservation whose answer
was lost may still be on its way): event-service then bars the reference, and the reservation,
when it lands, is refused and takes nothing. So releasing needs no knowledge of the reservation.

The calls to other services go through the typed clients, whose retry policy is the only one:
the calls of one step share one time budget.
"""

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from booking_service.clients import Clients
from booking_service.clients.errors import (
    EventNotFoundError,
    OutcomeUnknownError,
    TicketRequestRefusedError,
    TicketsUnavailableError,
)
from booking_service.clients.events import DEFAULT_TICKET_TYPE, EventSnapshot
from booking_service.models import Booking, OutboxMessage
from booking_service.schemas import Items
from booking_service.service.notices import booking_notice
from booking_service.service.replays import describe_failure
from booking_service.statuses import BookingStatus
from service_kit.clock import utcnow
from service_kit.errors import ProblemError

# event-service's definitive answers to a reservation: after one of them nothing is held.
RESERVATION_REFUSALS = (TicketsUnavailableError, TicketRequestRefusedError, EventNotFoundError)
# event-service's refusal of a release for a reference that holds nothing (and is barred now).
NOT_RESERVED = "not-reserved"


@dataclass(frozen=True)
class Reservation:
    """What the saga learnt on the way: the user's email and the event, as reserved."""

    email: str
    event: EventSnapshot


async def reserve(*, clients: Clients, booking: Booking) -> Reservation:
    """Verify the booking's user, then reserve its tickets (the booking id is the reference).

    Both calls share one time budget. Raises the problem of the step that failed.
    """
    deadline = clients.deadline()
    user = await clients.users.get_user(booking.user_id, deadline=deadline)
    event = await clients.events.reserve(
        event_id=booking.event_id,
        tickets=booking.tickets,
        items=asked_items(booking),
        reference=str(booking.id),
        deadline=deadline,
    )
    return Reservation(email=user.email, event=event)


def asked_items(booking: Booking) -> Items | None:
    """The ticket types a booking asked for; None when it asked for the default type."""
    if not booking.items:
        return None
    return tuple((item["ticket_type_id"], item["quantity"]) for item in booking.items)


def priced_items(booking: Booking, event: EventSnapshot) -> list[dict[str, Any]]:
    """What the booking holds per type, with each type's name and price as reserved."""
    asked = asked_items(booking) or ((DEFAULT_TICKET_TYPE, booking.tickets),)
    items = []
    for type_id, quantity in asked:
        name, price = event.ticket_types.get(type_id, (None, event.price))
        items.append(
            {
                "ticket_type_id": type_id,
                "name": name,
                "quantity": quantity,
                "unit_price": str(price),
            }
        )
    return items


def may_hold_tickets(error: ProblemError, *, resumed: bool) -> bool:
    """Whether a booking that `reserve` failed with `error` may still hold tickets.

    A refusal by event-service settles it (nothing held); an unknown outcome may hold them; any
    other failure holds nothing, unless the booking was `resumed` after an interruption (a
    reservation from before it may exist).
    """
    if isinstance(error, RESERVATION_REFUSALS):
        return False
    return isinstance(error, OutcomeUnknownError) or resumed


async def confirm(*, session: AsyncSession, booking: Booking, reservation: Reservation) -> bool:
    """Pending -> confirmed with the event's snapshot, and its notice, in one transaction.

    `booking` is a detached copy; it is updated to match. False if the booking was no longer
    pending (a concurrent request or recovery settled it); if it was failed, the tickets just
    reserved for it are marked for recovery to release.
    """
    event = reservation.event
    items = priced_items(booking, event)
    prices = {item["unit_price"] for item in items}
    values: dict[str, Any] = {
        "status": BookingStatus.CONFIRMED,
        "user_email": reservation.email,
        "event_title": event.title,
        "event_starts_at": event.starts_at,
        "event_timezone": event.timezone,
        "event_venue": event.venue,
        "event_city": event.city,
        # One price for every ticket, or none when the types differ (`items` has each).
        "unit_price": Decimal(prices.pop()) if len(prices) == 1 else None,
        "currency": event.currency,
        "total_price": sum(
            (Decimal(item["unit_price"]) * item["quantity"] for item in items), Decimal(0)
        ),
        "items": items,
        "updated_at": utcnow(),
    }
    claimed = await session.execute(
        update(Booking)
        .where(Booking.id == booking.id, Booking.status == BookingStatus.PENDING)
        .values(values)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        await session.rollback()
        await _owe_release_if_failed(session, booking.id)
        return False
    for name, value in values.items():
        setattr(booking, name, value)
    session.add(booking_notice(booking, "booking_confirmed"))
    await session.commit()
    return True


async def _owe_release_if_failed(session: AsyncSession, booking_id: uuid.UUID) -> None:
    """A reservation was made for a booking failed meanwhile (by its request, or by recovery on
    another replica): its tickets are owed back, so recovery releases them."""
    await session.execute(
        update(Booking)
        .where(
            Booking.id == booking_id,
            Booking.status == BookingStatus.FAILED,
            Booking.release_pending.is_(False),
        )
        .values(release_pending=True, updated_at=utcnow())
    )
    await session.commit()


async def fail(
    *,
    session: AsyncSession,
    booking_id: uuid.UUID,
    error: ProblemError,
    release_pending: bool,
    notice: OutboxMessage | None = None,
) -> bool:
    """Pending -> failed, keeping the problem so a replay of the request answers the same, and
    with `notice` for the buyer in the same transaction. False if it was no longer pending."""
    reason = error.extra.get("reason") or error.slug
    failed = await session.execute(
        update(Booking)
        .where(Booking.id == booking_id, Booking.status == BookingStatus.PENDING)
        .values(
            status=BookingStatus.FAILED,
            failure_reason=str(reason)[:64],
            failure=describe_failure(error),
            release_pending=release_pending,
            updated_at=utcnow(),
        )
    )
    if failed.rowcount != 1:  # type: ignore[attr-defined]
        await session.rollback()
        return False
    if notice is not None:
        session.add(notice)
    await session.commit()
    return True


async def release_held(*, clients: Clients, booking: Booking) -> bool:
    """Release what the booking may hold; False if it holds nothing.

    Whether its reservation applied, was refused or has not arrived yet does not matter: a
    release before the reservation bars it (see above). Other refusals are raised.
    """
    try:
        await clients.events.release(
            event_id=booking.event_id, tickets=booking.tickets, reference=str(booking.id)
        )
    except TicketsUnavailableError as refused:
        if refused.reason == NOT_RESERVED:
            return False
        raise
    except EventNotFoundError:
        return False  # the event is gone, and with it whatever was held
    return True


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
