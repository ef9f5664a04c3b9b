"""Typed clients of the services booking-service calls, one small class per service."""

from dataclasses import dataclass

import httpx

from booking_service.clients.availability import RecentAvailability
from booking_service.clients.events import EventsClient
from booking_service.clients.users import UsersClient
from service_kit.retry import Deadline, RetryPolicy


@dataclass(frozen=True)
class Clients:
    """The services a booking depends on, and the one retry policy of every call to them."""

    users: UsersClient
    events: EventsClient
    retry: RetryPolicy

    def deadline(self) -> Deadline:
        """A fresh budget, shared by the calls of one booking step (e.g. verify, then reserve)."""
        return self.retry.deadline()


def create_clients(
    *,
    http: httpx.AsyncClient,
    auth: httpx.Auth,
    user_service_url: str,
    event_service_url: str,
    budget_seconds: float,
    sold_out_cache_seconds: float,
    user_cache_seconds: float,
) -> Clients:
    retry = RetryPolicy(budget_seconds=budget_seconds)
    return Clients(
        users=UsersClient(
            http=http,
            base_url=user_service_url,
            auth=auth,
            retry=retry,
            cache_seconds=user_cache_seconds,
        ),
        events=EventsClient(
            http=http,
            base_url=event_service_url,
            auth=auth,
            retry=retry,
            availability=RecentAvailability(ttl_seconds=sold_out_cache_seconds),
        ),
        retry=retry,
    )
