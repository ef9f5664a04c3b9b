"""The problems event-service answers with, as domain errors (the kit maps them to RFC 9457)."""

from enum import StrEnum

from pydantic import Field

from service_kit.errors import ConflictError, NotFoundError, Problem


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


class TicketConflictProblem(Problem):
    """The body of a 409 from `update_tickets`."""

    reason: RefusalReason = Field(description="Why the change was refused.")
    available_tickets: int | None = Field(
        default=None, description="The event's available tickets when it was refused."
    )


class EventNotFoundError(NotFoundError):
    slug = "event-not-found"

    @classmethod
    def for_id(cls, event_id: object) -> "EventNotFoundError":
        return cls(f"No event with id {event_id}.")


class TicketConflictError(ConflictError):
    """The tickets cannot change: too few left, the event closed, or nothing to release."""

    slug = "tickets-unavailable"

    def __init__(
        self, detail: str, *, reason: RefusalReason, available_tickets: int | None
    ) -> None:
        super().__init__(detail, reason=reason.value, available_tickets=available_tickets)


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
