from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx

from booking_service.clients.availability import RecentAvailability
from booking_service.clients.errors import (
    DependencyRefusedError,
    DependencyUnavailableError,
    EventNotFoundError,
    OutcomeUnknownError,
    TicketRequestRefusedError,
    TicketsUnavailableError,
    refused_for_good,
)
from booking_service.schemas import Items, items_json
from service_kit.retry import Deadline, RetryPolicy, nothing_sent

SERVICE = "event-service"
# The ticket type a change naming none takes at event-service.
DEFAULT_TICKET_TYPE = "default"
# What a refusal says of the ticket type it is about; passed on to the buyer.
ABOUT_TYPE = ("ticket_type_id", "ticket_type_available", "sales_start", "sales_end")
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
    # Per ticket type id: (name, price), as the event sold them at the change.
    ticket_types: dict[str, tuple[str, Decimal]] = field(default_factory=dict)


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


def _about_type(body: dict[str, Any]) -> dict[str, Any]:
    return {name: body[name] for name in ABOUT_TYPE if body.get(name) is not None}


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
        self,
        *,
        event_id: str,
        tickets: int,
        reference: str,
        items: Items | None = None,
        deadline: Deadline | None = None,
    ) -> EventSnapshot:
        """Reserve `tickets` of the default type, or the types in `items`, all or none."""
        change: dict[str, Any] = {"delta": -tickets, "reference": reference}
        if items is not None:
            change["items"] = items_json(items)
        return await self._change(event_id=event_id, change=change, deadline=deadline)

    async def release(
        self, *, event_id: str, tickets: int, reference: str, deadline: Deadline | None = None
    ) -> EventSnapshot:
        """Give back what the reservation with `reference` took (event-service knows which
        types)."""
        change = {"delta": tickets, "reference": reference}
        return await self._change(event_id=event_id, change=change, deadline=deadline)

    async def _change(
        self, *, event_id: str, change: dict[str, Any], deadline: Deadline | None
    ) -> EventSnapshot:
        """One idempotent ticket change, replayed with the same reference under the retry
        policy until answered or out of time (default: the policy's budget from now)."""
        asked_at = self.availability.now()
        try:
            response = await self.retry.send(
                self.http,
                "PUT",
                f"{self.base_url}/events/{event_id}/update_tickets",
                json=change,
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
                ticket_types={
                    kind["id"]: (kind["name"], Decimal(kind["price"]))
                    for kind in body.get("ticket_types") or []
                },
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
                **_about_type(body),
            )
            self.availability.saw_refusal(event_id, refusal, asked_at)
            raise refusal
        body = response.json() if response.status_code == 422 else {}
        if isinstance(reason := body.get("reason"), str):
            raise TicketRequestRefusedError(
                body.get("detail") or "No order may ask for these tickets.",
                reason=reason,
                **_about_type(body),
            )
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
