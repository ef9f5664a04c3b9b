from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from booking_service.deps import (
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
from service_kit.errors import PROBLEM_MEDIA_TYPE, Problem

router = APIRouter(prefix="/bookings", tags=["bookings"])


def _problem(description: str, **headers: str) -> dict[str, Any]:
    """An error answer as documented: an RFC 9457 problem body, and the headers it carries."""
    response: dict[str, Any] = {
        "description": description,
        "model": Problem,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    if headers:
        response["headers"] = {
            name: {"description": text, "schema": {"type": "integer"}}
            for name, text in headers.items()
        }
    return response


UNAUTHORIZED = _problem("No valid bearer access token")
NOT_FOUND_BOOKING = _problem("No booking has this id")
SOMEONE_ELSES = _problem("The booking belongs to someone else")
INVALID = _problem("Invalid input: `errors` lists the offending fields")


@router.post(
    "",
    response_model=BookingPublic,
    status_code=201,
    summary="Book tickets",
    description="Verifies the user, reserves the tickets at event-service and confirms the "
    "booking; the confirmation is then sent by notification-service. 404 for an unknown user "
    "or event, 409 when the event is cancelled, started or short of tickets (with "
    "`available_tickets`), 503 with `Retry-After` naming the `dependency` that failed or did "
    "not answer within `BOOKING_DEPENDENCY_BUDGET_SECONDS`.",
    responses={
        401: UNAUTHORIZED,
        403: _problem("A service token, or a non-admin booking for someone else"),
        404: _problem("Unknown user or event"),
        409: _problem(
            "Not enough tickets, or the event is cancelled or started; or the first request "
            "with this Idempotency-Key is still running (with `Retry-After`)"
        ),
        422: _problem(
            "Invalid input (`errors` lists the fields; at most MAX_TICKETS_PER_BOOKING "
            "tickets), or an Idempotency-Key used before for another request"
        ),
        503: _problem(
            "A service this depends on (`dependency` names it) is unavailable or did not "
            "answer in time; whatever the booking may hold is settled by recovery",
            **{"Retry-After": "Seconds to wait before trying again"},
        ),
    },
)
async def create_booking(
    request: NewBooking,
    sessions: SessionsDep,
    clients: ClientsDep,
    relay: RelayDep,
    settings: SettingsDep,
) -> BookingPublic:
    booking = await placing.place_booking(
        sessions=sessions,
        clients=clients,
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
    responses={
        401: UNAUTHORIZED,
        403: _problem("Another user's bookings, asked for by someone who is not an admin"),
        422: INVALID,
    },
)
async def list_bookings(
    response: Response,
    user_id: ListedUser,
    sessions: SessionsDep,
    status: Annotated[
        BookingStatus | None, Query(description="Only bookings in this state.")
    ] = None,
    event_id: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
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
    responses={401: UNAUTHORIZED, 403: SOMEONE_ELSES, 404: NOT_FOUND_BOOKING, 422: INVALID},
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
    responses={
        401: UNAUTHORIZED,
        403: SOMEONE_ELSES,
        404: NOT_FOUND_BOOKING,
        409: _problem("The booking is not confirmed, or its event has started"),
        422: INVALID,
    },
)
async def cancel_booking(
    booking: CurrentBooking, sessions: SessionsDep, clients: ClientsDep, relay: RelayDep
) -> BookingPublic:
    cancelled = await cancelling.cancel_booking(sessions=sessions, clients=clients, booking=booking)
    relay.wake()
    return BookingPublic.model_validate(cancelled)
