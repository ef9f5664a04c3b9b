"""With its MongoDB server gone, event-service answers 503 at once, naming the store."""

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from event_service.main import create_app
from tests.fixtures.events import EventSettingsFactory
from tests.utils.asgi import running_client
from tests.utils.events import event_body
from tests.utils.hostile import assert_store_unavailable
from tests.utils.routing import RoutingTransport
from tests.utils.stoppable_mongo import StoppableMongo, stoppable_mongo
from tests.utils.users import TestUser

# The driver's default would be 30 s, the seed's setting 5 s: a second or two is the promise.
PROMPT_SECONDS = 4


@pytest.fixture
def mongo() -> Any:
    with stoppable_mongo() as mongo:
        yield mongo


@pytest.fixture
async def client(
    mongo: StoppableMongo,
    make_event_settings: EventSettingsFactory,
    platform_transport: RoutingTransport,
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_event_settings(mongo_url=mongo.url), http_transport=platform_transport)
    async with running_client(app) as client:
        yield client


async def test_list_events_with_mongo_down_is_prompt_503_naming_the_store(
    client: httpx.AsyncClient, mongo: StoppableMongo, organizer: TestUser
) -> None:
    created = await client.post("/events", json=event_body(), headers=organizer.headers)
    assert created.status_code == 201
    assert (await client.get("/events")).status_code == 200
    mongo.stop()

    started = time.monotonic()
    response = await client.get("/events")  # the directory finds the page; the store is gone

    assert time.monotonic() - started < PROMPT_SECONDS
    assert_store_unavailable(response)


@pytest.fixture
async def stale_client(
    mongo: StoppableMongo,
    make_event_settings: EventSettingsFactory,
    platform_transport: RoutingTransport,
) -> AsyncIterator[httpx.AsyncClient]:
    """event-service whose store stopped over three refreshes ago: its directory is stale."""
    settings = make_event_settings(mongo_url=mongo.url, catalogue_refresh_seconds=0.2)
    async with running_client(create_app(settings, http_transport=platform_transport)) as client:
        assert (await client.get("/events")).status_code == 200
        mongo.stop()
        await asyncio.sleep(0.7)  # past three refreshes' time: every listing needs a refresh
        yield client


async def test_listings_queued_behind_a_failed_refresh_fail_with_it_not_one_by_one(
    stale_client: httpx.AsyncClient,
) -> None:
    started = time.monotonic()
    responses = await asyncio.gather(
        *(stale_client.get("/events", params={"q": f"word{n}"}) for n in range(6))
    )

    # One failed refresh answers them all: not six store timeouts in a row.
    assert time.monotonic() - started < PROMPT_SECONDS
    for response in responses:
        assert_store_unavailable(response)


async def test_an_empty_listing_is_not_answered_from_a_directory_that_cannot_refresh(
    stale_client: httpx.AsyncClient,
) -> None:
    started = time.monotonic()
    response = await stale_client.get("/events", params={"q": "nothing-matches"})

    assert time.monotonic() - started < PROMPT_SECONDS
    assert_store_unavailable(response)


async def test_create_event_with_mongo_down_is_503(
    client: httpx.AsyncClient, mongo: StoppableMongo, organizer: TestUser
) -> None:
    mongo.stop()

    response = await client.post("/events", json=event_body(), headers=organizer.headers)

    assert_store_unavailable(response)
