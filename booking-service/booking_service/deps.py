"""Dependencies of the routes, including every rule of who may act on whose bookings."""

import uuid
from typing import Annotated

from fastapi import Depends, Header, Query
from fastapi.exceptions import RequestValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from booking_service.clients import Clients
from booking_service.config import BookingSettings
from booking_service.models import Booking
from booking_service.schemas import BookingCreate
from booking_service.service import queries
from booking_service.service.admission import Admission
from booking_service.service.outbox import OutboxRelay
from booking_service.service.placing import BookingRequest
from service_kit.auth import CurrentPrincipal, Principal, Role
from service_kit.deps import app_state
from service_kit.errors import ForbiddenError
from service_kit.openapi import answers

SessionsDep = Annotated[async_sessionmaker[AsyncSession], Depends(app_state("sessions"))]
ClientsDep = Annotated[Clients, Depends(app_state("clients"))]
RelayDep = Annotated[OutboxRelay, Depends(app_state("outbox_relay"))]
AdmissionDep = Annotated[Admission, Depends(app_state("admission"))]
SettingsDep = Annotated[BookingSettings, Depends(app_state("settings"))]

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="Send the same key to retry safely: the first request's answer is repeated.",
    ),
]


def _on_behalf_of(principal: Principal, user_id: uuid.UUID | None, *, refusal: str) -> uuid.UUID:
    """The person whose bookings the caller acts on: `user_id`, or the caller when None.

    A person acts on their own bookings, an admin on anyone's; a service token names no person.
    """
    owner = user_id or principal.user_id
    if owner is None:
        raise ForbiddenError("Bookings belong to people; this token names no user.")
    if owner != principal.user_id and principal.role != Role.ADMIN:
        raise ForbiddenError(refusal)
    return owner


@answers({422: {"description": "More tickets than MAX_TICKETS_PER_BOOKING"}})
async def _booking_within_cap(booking_in: BookingCreate, settings: SettingsDep) -> BookingCreate:
    maximum = settings.max_tickets_per_booking
    if booking_in.quantity > maximum:
        raise RequestValidationError(
            [
                {
                    "loc": ("body", "tickets" if booking_in.items is None else "items"),
                    "msg": f"Input should be less than or equal to {maximum}",
                    "type": "less_than_equal",
                }
            ]
        )
    return booking_in


@answers(
    {
        403: {"description": "A service token, or a booking for someone else by a non-admin"},
        # Raised when placing the booking; documented with the header it is about.
        422: {"description": "The Idempotency-Key was used before for another booking request"},
    }
)
async def _booking_request(
    principal: CurrentPrincipal,  # first: an anonymous caller is told 401 before anything else
    booking_in: Annotated[BookingCreate, Depends(_booking_within_cap)],
    idempotency_key: IdempotencyKey = None,
) -> BookingRequest:
    if principal.role == Role.SERVICE:
        raise ForbiddenError("Bookings are made by people; a service cannot book.")
    user_id = _on_behalf_of(
        principal, booking_in.user_id, refusal="Only admins may book on someone else's behalf."
    )
    return BookingRequest(
        user_id=user_id,
        event_id=booking_in.event_id,
        tickets=booking_in.quantity,
        items=booking_in.asked_items(),
        created_by=principal.subject,
        idempotency_key=idempotency_key,
    )


@answers({403: {"description": "Another user's bookings, asked for by a non-admin or a service"}})
async def _listed_user(
    principal: CurrentPrincipal,
    user_id: Annotated[
        uuid.UUID | None, Query(description="Admins only: this user's bookings.")
    ] = None,
) -> uuid.UUID | None:
    if user_id is None and principal.role == Role.ADMIN:
        return None  # everyone's
    return _on_behalf_of(principal, user_id, refusal="Only admins may list other users' bookings.")


@answers(
    {
        403: {"description": "The booking belongs to someone else"},
        404: {"description": "No booking has this id"},
    }
)
async def _current_booking(
    booking_id: uuid.UUID, principal: CurrentPrincipal, sessions: SessionsDep
) -> Booking:
    async with sessions() as session:
        booking = await queries.get_booking(session=session, booking_id=booking_id)
    _on_behalf_of(principal, booking.user_id, refusal="This booking belongs to someone else.")
    return booking


# A valid booking request (tickets within MAX_TICKETS_PER_BOOKING) the caller may make.
NewBooking = Annotated[BookingRequest, Depends(_booking_request)]
# Whose bookings a listing shows: one user's, or (None) everyone's, for admins.
ListedUser = Annotated[uuid.UUID | None, Depends(_listed_user)]
# The booking named by the path, loaded and authorized: 404 unknown, 403 someone else's.
CurrentBooking = Annotated[Booking, Depends(_current_booking)]
