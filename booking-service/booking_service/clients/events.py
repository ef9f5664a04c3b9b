from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import httpx

from booking_service.clients.availability import RecentAvailability
from booking_service.clients.errors import (
    DependencyRefusedError,
    DependencyUnavailableError,
    EventNotFoundError,
    OutcomeUnknownError,
    TicketsUnavailableError,
    refused_for_good,
)
from service_kit.retry import Deadline, RetryPolicy, nothing_sent

SERVICE = "event-service"
# Events stored before event-service recorded time zones have none: their times read as UTC.
DEFAULT_TIMEZONE = "UTC"


@dataclass(frozen=True)
class EventSnapshot:
    """The event as event-service returned it after a ticket change."""

    id: str
    title: str
    starts_at: datetime
    price: Decimal
    currency: str
    available_tickets: int
    venue: str | None = None
    city: str | None = None
    timezone: str = DEFAULT_TIMEZONE


def _in_progress(response: httpx.Response) -> bool:
    """event-service is still applying an earlier attempt with this reference."""
    if response.status_code != 409:
        return False
    try:
        return bool(response.json().get("reason") == "in-progress")
    except ValueError:
        return False


def _worth_replaying(response: httpx.Response) -> bool:
    return response.status_code >= 500 or _in_progress(response)


class EventsClient:
    def __init__(
        self,
        *,
        http: httpx.AsyncClient,
        base_url: str,
        auth: httpx.Auth,
        retry: RetryPolicy,
        availability: RecentAvailability,
    ) -> None:
        self.http = http
        self.base_url = base_url
        self.auth = auth
        self.retry = retry
        # Every answer about an event's tickets passes here; it is kept for quick refusals.
        self.availability = availability

    async def reserve(
        self, *, event_id: str, tickets: int, reference: str, deadline: Deadline | None = None
    ) -> EventSnapshot:
        return await self._change(
            event_id=event_id, delta=-tickets, reference=reference, deadline=deadline
        )

    async def release(
        self, *, event_id: str, tickets: int, reference: str, deadline: Deadline | None = None
    ) -> EventSnapshot:
        return await self._change(
            event_id=event_id, delta=tickets, reference=reference, deadline=deadline
        )

    async def _change(
        self, *, event_id: str, delta: int, reference: str, deadline: Deadline | None
    ) -> EventSnapshot:
        """One idempotent ticket change, replayed with the same reference under the retry
        policy until answered or out of time (default: the policy's budget from now)."""
        asked_at = self.availability.now()
        try:
            response = await self.retry.send(
                self.http,
                "PUT",
                f"{self.base_url}/events/{event_id}/update_tickets",
                json={"delta": delta, "reference": reference},
                auth=self.auth,
                deadline=deadline,
                retry_on=_worth_replaying,
            )
        except httpx.HTTPError as exc:
            if nothing_sent(exc):
                raise DependencyUnavailableError(
                    SERVICE,
                    f"event-service could not be reached ({type(exc).__name__}).",
                    outcome="not-sent",
                ) from exc
            raise OutcomeUnknownError(
                SERVICE, f"event-service did not answer in time ({type(exc).__name__})."
            ) from exc
        if response.status_code == 200:
            body = response.json()
            self.availability.saw_tickets(
                event_id, available_tickets=body["available_tickets"], asked_at=asked_at
            )
            return EventSnapshot(
                id=body["id"],
                title=body["title"],
                starts_at=datetime.fromisoformat(body["starts_at"]),
                price=Decimal(body["price"]),
                currency=body["currency"],
                available_tickets=body["available_tickets"],
                venue=body.get("venue"),
                city=body.get("city"),
                timezone=body.get("timezone") or DEFAULT_TIMEZONE,
            )
        if response.status_code == 404:
            raise EventNotFoundError(f"No event with id {event_id}.")
        if _in_progress(response):
            # An earlier attempt with this reference is still running: its outcome decides.
            raise OutcomeUnknownError(SERVICE, "event-service is still applying a change.")
        if response.status_code == 409:
            body = response.json()
            refusal = TicketsUnavailableError(
                body.get("detail") or "The tickets are not available.",
                reason=body.get("reason", "unavailable"),
                available_tickets=body.get("available_tickets"),
            )
            self.availability.saw_refusal(event_id, refusal, asked_at)
            raise refusal
        if response.status_code >= 500:
            raise OutcomeUnknownError(
                SERVICE, f"event-service failed ({response.status_code}) during a ticket change."
            )
        if refused_for_good(response.status_code):
            raise DependencyRefusedError(
                SERVICE, f"event-service refused the ticket change ({response.status_code})."
            )
        raise DependencyUnavailableError(
            SERVICE, f"event-service refused the ticket change ({response.status_code})."
        )
