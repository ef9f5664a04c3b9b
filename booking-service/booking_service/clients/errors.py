"""What can go wrong when booking-service calls another service, as problem errors."""

from typing import Any

from service_kit.errors import (
    ConflictError,
    NotFoundError,
    ProblemError,
    ServiceUnavailableError,
    UnprocessableError,
)

RETRY_AFTER_SECONDS = "5"
# Refusals that say nothing about the request itself: our credentials, or the service's load.
# They may pass on a later attempt; any other 4xx would be refused again.
TRANSIENT_REFUSALS = frozenset({401, 403, 408, 425, 429})


def refused_for_good(status_code: int) -> bool:
    """Whether an answer refuses the request itself, so that sending it again cannot help."""
    return 400 <= status_code < 500 and status_code not in TRANSIENT_REFUSALS


class DependencyUnavailableError(ServiceUnavailableError):
    """A service we depend on is down, too slow, or failing; the caller may retry later."""

    slug = "dependency-unavailable"

    def __init__(self, dependency: str, detail: str, **extra: Any) -> None:
        super().__init__(
            detail, headers={"Retry-After": RETRY_AFTER_SECONDS}, dependency=dependency, **extra
        )
        self.dependency = dependency


class DependencyRefusedError(ProblemError):
    """A service we depend on refused our request for good (a 4xx `refused_for_good`).

    Nothing was changed there, and the same request would be refused again.
    """

    status, slug = 502, "dependency-refused"

    def __init__(self, dependency: str, detail: str) -> None:
        super().__init__(detail, dependency=dependency)
        self.dependency = dependency


class OutcomeUnknownError(DependencyUnavailableError):
    """The request may have reached the service and taken effect: only a replay can tell."""


class UserNotFoundError(NotFoundError):
    slug = "user-not-found"


class EventNotFoundError(NotFoundError):
    slug = "event-not-found"


class TicketsUnavailableError(ConflictError):
    """event-service refused the ticket change; `reason` says why (see event-service), and
    `extra` what it said of the ticket type (`ticket_type_id`, its sale window)."""

    slug = "tickets-unavailable"

    def __init__(
        self, detail: str, *, reason: str, available_tickets: int | None, **about_type: Any
    ) -> None:
        super().__init__(detail, reason=reason, available_tickets=available_tickets, **about_type)
        self.reason = reason
        self.available_tickets = available_tickets


class TicketRequestRefusedError(UnprocessableError):
    """event-service refused what no order may ask: an unknown ticket type, or a quantity
    outside a type's per-order limits (`reason`, `ticket_type_id`). Nothing is held."""

    slug = "ticket-request-invalid"

    def __init__(self, detail: str, *, reason: str, **about_type: Any) -> None:
        super().__init__(detail, reason=reason, **about_type)
        self.reason = reason
