"""The problems event-service answers with, as domain errors (the kit maps them to RFC 9457)."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from service_kit.errors import ConflictError, NotFoundError, Problem, UnprocessableError


class RefusalReason(StrEnum):
    """Why a ticket change was refused: the `reason` of a 409 from `update_tickets`."""

    INSUFFICIENT = "insufficient"
    CANCELLED = "cancelled"
    STARTED = "started"
    EXCEEDS_TOTAL = "exceeds-total"
    NOT_RESERVED = "not-reserved"
    RELEASED = "released"
    EXCEEDS_RESERVATION = "exceeds-reservation"
    REFERENCE = "reference"
    IN_PROGRESS = "in-progress"
    OUTSIDE_SALE_WINDOW = "outside-sale-window"
    # Refusals of the request itself (422): the type is unknown (or hidden), or the quantity
    # is outside the type's per-order limits.
    UNKNOWN_TICKET_TYPE = "unknown-ticket-type"
    BELOW_MINIMUM = "below-minimum"
    ABOVE_MAXIMUM = "above-maximum"
    ITEMS_REQUIRED = "items-required"

    @property
    def is_request_error(self) -> bool:
        return self in _REQUEST_ERRORS


_REQUEST_ERRORS = {
    RefusalReason.UNKNOWN_TICKET_TYPE,
    RefusalReason.BELOW_MINIMUM,
    RefusalReason.ABOVE_MAXIMUM,
    RefusalReason.ITEMS_REQUIRED,
}


class TicketConflictProblem(Problem):
    """The body of a 409 from `update_tickets`."""

    reason: RefusalReason = Field(description="Why the change was refused.")
    available_tickets: int | None = Field(
        default=None, description="The event's available tickets when it was refused."
    )
    ticket_type_id: str | None = Field(
        default=None, description="The ticket type the refusal is about, if one."
    )
    ticket_type_available: int | None = Field(
        default=None, description="That type's available tickets when it was refused."
    )
    sales_start: datetime | None = Field(
        default=None, description="`outside-sale-window`: when the type's sale starts."
    )
    sales_end: datetime | None = Field(
        default=None, description="`outside-sale-window`: when the type's sale ends."
    )


class TicketRequestProblem(Problem):
    """The body of a 422 from `update_tickets`: an invalid body (`errors`), or a change no
    order may make (`reason`, and the type it is about)."""

    reason: RefusalReason | None = Field(
        default=None, description="What no order may ask for; absent for an invalid body."
    )
    ticket_type_id: str | None = Field(default=None, description="The type it is about.")


class EventNotFoundError(NotFoundError):
    slug = "event-not-found"

    @classmethod
    def for_id(cls, event_id: object) -> "EventNotFoundError":
        return cls(f"No event with id {event_id}.")


class TicketTypeNotFoundError(NotFoundError):
    slug = "ticket-type-not-found"

    @classmethod
    def for_id(cls, type_id: object) -> "TicketTypeNotFoundError":
        return cls(f"The event has no ticket type {type_id}.")


class TicketConflictError(ConflictError):
    """The tickets cannot change: too few left, the event closed, or nothing to release."""

    slug = "tickets-unavailable"

    def __init__(
        self, detail: str, *, reason: RefusalReason, available_tickets: int | None, **extra: Any
    ) -> None:
        super().__init__(detail, reason=reason.value, available_tickets=available_tickets, **extra)


class TicketRequestError(UnprocessableError):
    """The change asks for what no order may: an unknown type, or a quantity outside its
    per-order limits."""

    slug = "ticket-request-invalid"

    def __init__(self, detail: str, *, reason: RefusalReason, **extra: Any) -> None:
        super().__init__(detail, reason=reason.value, **extra)


class ReferenceConflictError(ConflictError):
    """The reference was already used for another quantity."""

    slug = "reference-conflict"

    def __init__(self, detail: str, *, available_tickets: int | None) -> None:
        super().__init__(
            detail, reason=RefusalReason.REFERENCE.value, available_tickets=available_tickets
        )


class ChangeInProgressError(ConflictError):
    """An earlier request for the same change (or the reservation a release needs) still runs."""

    slug = "change-in-progress"

    def __init__(self, detail: str) -> None:
        super().__init__(
            detail, headers={"Retry-After": "1"}, reason=RefusalReason.IN_PROGRESS.value
        )
