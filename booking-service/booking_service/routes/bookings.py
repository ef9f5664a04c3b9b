import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Response

from booking_service.deps import (
    ClientsDep,
    RelayDep,
    SessionsDep,
    SettingsDep,
)
from booking_service.schemas import BookingCreate, BookingPublic
from booking_service.service import bookings
from service_kit.auth import CurrentPrincipal

router = APIRouter(prefix="/bookings", tags=["bookings"])

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="Send the same key to retry safely: the first request's answer is repeated.",
    ),
]


@router.post(
    "",
    response_model=BookingPublic,
    status_code=201,
    summary="Book tickets",
    description="Verifies the user, reserves the tickets at event-service and confirms the "
    "booking; the confirmation is then sent by notification-service. 404 for an unknown user "
    "or event, 409 when the event is cancelled, started or short of tickets (with "
    "`available_tickets`), 503 with `Retry-After` naming the `dependency` that failed.",
    responses={
        404: {"description": "Unknown user or event"},
        409: {"description": "Not enough tickets, or the event is cancelled or started"},
        503: {"description": "A service this depends on is unavailable"},
    },
)
async def create_booking(
    booking_in: BookingCreate,
    principal: CurrentPrincipal,
    sessions: SessionsDep,
    clients: ClientsDep,
    relay: RelayDep,
    settings: SettingsDep,
    idempotency_key: IdempotencyKey = None,
) -> BookingPublic:
    request = bookings.booking_request(
        principal=principal,
        booking_in=booking_in,
        idempotency_key=idempotency_key,
        settings=settings,
    )
    booking = await bookings.place_booking(
        sessions=sessions, clients=clients, settings=settings, request=request
    )
    relay.wake()
    return BookingPublic.model_validate(booking)


@router.get(
    "",
    response_model=list[BookingPublic],
    summary="Your bookings (admins: everyone's)",
    description="Newest first; a JSON array with the number of matches in `X-Total-Count`.",
)
async def list_bookings(
    response: Response,
    principal: CurrentPrincipal,
    sessions: SessionsDep,
    status: Literal["pending", "confirmed", "cancelled", "failed"] | None = None,
    event_id: Annotated[str | None, Query(max_length=64)] = None,
    user_id: Annotated[uuid.UUID | None, Query(description="Admins only")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[BookingPublic]:
    async with sessions() as session:
        found, total = await bookings.list_bookings(
            session=session,
            principal=principal,
            status=status,
            event_id=event_id,
            user_id=user_id,
            limit=limit,
            offset=offset,
        )
    response.headers["X-Total-Count"] = str(total)
    return [BookingPublic.model_validate(booking) for booking in found]


@router.get("/{booking_id}", response_model=BookingPublic, summary="One booking")
async def read_booking(
    booking_id: uuid.UUID, principal: CurrentPrincipal, sessions: SessionsDep
) -> BookingPublic:
    async with sessions() as session:
        booking = await bookings.get_booking(
            session=session, booking_id=booking_id, principal=principal
        )
    return BookingPublic.model_validate(booking)


@router.post(
    "/{booking_id}/cancel",
    response_model=BookingPublic,
    summary="Cancel a booking and release its tickets",
    description="Cancelling a cancelled booking returns it unchanged. 409 once the event has "
    "started or when the booking is not confirmed.",
)
async def cancel_booking(
    booking_id: uuid.UUID,
    principal: CurrentPrincipal,
    sessions: SessionsDep,
    clients: ClientsDep,
    relay: RelayDep,
) -> BookingPublic:
    booking = await bookings.cancel_booking(
        sessions=sessions, clients=clients, booking_id=booking_id, principal=principal
    )
    relay.wake()
    return BookingPublic.model_validate(booking)
