"""What can go wrong when booking-service calls another service, as problem errors."""

from typing import Any

from service_kit.errors import ConflictError, NotFoundError, ServiceUnavailableError

RETRY_AFTER_SECONDS = "5"


class DependencyUnavailableError(ServiceUnavailableError):
    """A service we depend on is down, too slow, or failing; the caller may retry later."""

    slug = "dependency-unavailable"

    def __init__(self, dependency: str, detail: str, **extra: Any) -> None:
        super().__init__(
            detail, headers={"Retry-After": RETRY_AFTER_SECONDS}, dependency=dependency, **extra
        )
        self.dependency = dependency


class OutcomeUnknownError(DependencyUnavailableError):
    """The request may have reached the service and taken effect: only a replay can tell."""


class UserNotFoundError(NotFoundError):
    slug = "user-not-found"


class EventNotFoundError(NotFoundError):
    slug = "event-not-found"


class TicketsUnavailableError(ConflictError):
    """event-service refused the ticket change; `reason` says why (see event-service)."""

    slug = "tickets-unavailable"

    def __init__(self, detail: str, *, reason: str, available_tickets: int | None) -> None:
        super().__init__(detail, reason=reason, available_tickets=available_tickets)
        self.reason = reason
