"""GET /events answers may be reused for LISTING_CACHE_SECONDS: a change through this
event-service shows at once, a change made elsewhere within that time."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from bson import ObjectId

from event_service.main import create_app
from event_service.models import EventStore
from tests.fixtures.events import EventSettingsFactory
from tests.utils.asgi import running_client
from tests.utils.events import change_tickets, create_event
from tests.utils.routing import RoutingTransport
from tests.utils.users import TestUser

TTL = 1.0  # the default


@pytest.fixture
async def cached(
    make_event_settings: EventSettingsFactory,
    platform_transport: RoutingTransport,
    isolated_event_database: str,
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        make_event_settings(event_mongo_db=isolated_event_database, listing_cache_seconds=TTL),
        http_transport=platform_transport,
    )
    async with running_client(app) as client:
        yield client


async def _listed(client: httpx.AsyncClient, event_id: str) -> dict[str, Any]:
    response = await client.get("/events", params={"limit": 100})
    assert response.status_code == 200, response.text
    [event] = [event for event in response.json() if event["id"] == event_id]
    return event


async def test_listing_after_a_reservation_here_shows_it_at_once(
    cached: httpx.AsyncClient, organizer: TestUser, service_headers: dict[str, str]
) -> None:
    event = await create_event(cached, organizer.headers, total_tickets=10)
    assert (await _listed(cached, event["id"]))["available_tickets"] == 10

    reserved = await change_tickets(cached, event["id"], service_headers, -3, "listing-1")
    assert reserved.status_code == 200, reserved.text

    assert (await _listed(cached, event["id"]))["available_tickets"] == 7


async def test_listing_after_a_change_elsewhere_shows_it_within_the_cache_time(
    cached: httpx.AsyncClient, organizer: TestUser, isolated_event_store: EventStore
) -> None:
    event = await create_event(cached, organizer.headers, total_tickets=10)
    assert (await _listed(cached, event["id"]))["available_tickets"] == 10
    await isolated_event_store.events.update_one(
        {"_id": ObjectId(event["id"])}, {"$inc": {"available_tickets": -4}}
    )

    await asyncio.sleep(TTL + 0.05)

    assert (await _listed(cached, event["id"]))["available_tickets"] == 6


async def test_listing_asked_again_within_the_cache_time_is_reused(
    cached: httpx.AsyncClient,
    organizer: TestUser,
    isolated_event_store: EventStore,
) -> None:
    event = await create_event(cached, organizer.headers, total_tickets=10)

    answers = await asyncio.gather(*(_listed(cached, event["id"]) for _ in range(20)))
    await isolated_event_store.events.update_one(
        {"_id": ObjectId(event["id"])}, {"$inc": {"available_tickets": -1}}
    )
    again = await _listed(cached, event["id"])

    assert {answer["available_tickets"] for answer in answers} == {10}
    assert again["available_tickets"] == 10  # reused: the change elsewhere is not seen yet
