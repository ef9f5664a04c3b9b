from typing import Annotated

from fastapi import APIRouter, Query, Response

from booking_service.deps import (
    AdmissionDep,
    ClientsDep,
    CurrentBooking,
    ListedUser,
    NewBooking,
    RelayDep,
    SessionsDep,
    SettingsDep,
)
from booking_service.schemas import BookingPublic
from booking_service.service import cancelling, placing, queries
from booking_service.statuses import BookingStatus
from service_kit.fields import PageLimit, PageOffset
from service_kit.openapi import RETRY_AFTER

# Each operation's answers: its own here, its dependencies' (401, 403, 404 of the booking, the
# token checks' 503) declared with them in deps.py; the kit documents each as a problem body.
router = APIRouter(prefix="/bookings", tags=["bookings"])


@router.post(
    "",
    response_model=BookingPublic,
    status_code=201,
    summary="Book tickets",
    description="Verifies the user, reserves the tickets at event-service and confirms the "
    "booking; the confirmation is then sent by notification-service. 404 for an unknown user "
    "or event, 409 when the event is cancelled, started or short of tickets (with "
    "`available_tickets`) or when the tickets were reserved but the booking can never be "
    "recorded (`booking-not-completed`: it is failed and its tickets released), 502 when a "
    "service this depends on refuses the request for good (`dependency` names it), 503 with "
    "`Retry-After` naming the `dependency` that failed or did not answer within "
    "`BOOKING_DEPENDENCY_BUDGET_SECONDS`.",
    responses={
        404: {"description": "Unknown user or event"},
        409: {
            "description": "Not enough tickets, or the event is cancelled or started; the "
            "booking can never be recorded (`booking-not-completed`); or the first request with "
            "this Idempotency-Key is still running (with `Retry-After`)",
            "headers": RETRY_AFTER,
        },
        502: {
            "description": "A service this depends on (`dependency` names it) refused the "
            "request for good; nothing is held for the booking"
        },
        503: {
            "description": "A service this depends on (`dependency` names it) is unavailable or "
            "did not answer in time; whatever the booking may hold is settled by recovery. Or "
            "too many bookings are being placed at once (`reason: busy`): this one waited its "
            "turn in vain and recorded nothing. A retry with the same Idempotency-Key is a new "
            "attempt, not a replay of the 503",
            "headers": RETRY_AFTER,
        },
    },
)
async def create_booking(
    request: NewBooking,
    sessions: SessionsDep,
    clients: ClientsDep,
    relay: RelayDep,
    settings: SettingsDep,
    admission: AdmissionDep,
) -> BookingPublic:
    booking = await placing.place_booking(
        sessions=sessions,
        clients=clients,
        admission=admission,
        request=request,
        idempotency_wait_seconds=settings.idempotency_wait_seconds,
    )
    relay.wake()
    return BookingPublic.model_validate(booking)


@router.get(
    "",
    response_model=list[BookingPublic],
    summary="Your bookings (admins: everyone's)",
    description="Newest first; a JSON array with the number of matches in `X-Total-Count`. "
    "Failed booking attempts are not bookings and are left out, unless `status=failed` asks "
    "for them (for admins too).",
)
async def list_bookings(
    response: Response,
    user_id: ListedUser,
    sessions: SessionsDep,
    status: Annotated[
        BookingStatus | None, Query(description="Only bookings in this state.")
    ] = None,
    event_id: Annotated[str | None, Query(max_length=64)] = None,
    limit: PageLimit = 20,
    offset: PageOffset = 0,
) -> list[BookingPublic]:
    async with sessions() as session:
        found, total = await queries.list_bookings(
            session=session,
            user_id=user_id,
            status=status,
            event_id=event_id,
            limit=limit,
            offset=offset,
        )
    response.headers["X-Total-Count"] = str(total)
    return [BookingPublic.model_validate(booking) for booking in found]


@router.get(
    "/{booking_id}",
    response_model=BookingPublic,
    summary="One booking",
)
async def read_booking(booking: CurrentBooking) -> BookingPublic:
    return BookingPublic.model_validate(booking)


@router.post(
    "/{booking_id}/cancel",
    response_model=BookingPublic,
    summary="Cancel a booking and release its tickets",
    description="Cancelling a cancelled booking returns it unchanged. 409 once the event has "
    "started or when the booking is not confirmed. The cancellation is recorded before the "
    "tickets are released; if event-service cannot release them now, recovery does it later.",
    responses={409: {"description": "The booking is not confirmed, or its event has started"}},
)
async def cancel_booking(
    booking: CurrentBooking, sessions: SessionsDep, clients: ClientsDep, relay: RelayDep
) -> BookingPublic:
    cancelled = await cancelling.cancel_booking(sessions=sessions, clients=clients, booking=booking)
    relay.wake()
    return BookingPublic.model_validate(cancelled)
