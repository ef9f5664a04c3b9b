"""event-service under test: the real app on a fresh MongoDB-compatible database.

Its HTTP client reaches the session's in-process user-service (for the JWKS) through
`platform_transport`.
"""

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pymongo import AsyncMongoClient

from event_service.config import EventSettings
from event_service.main import create_app
from event_service.models import EventStore
from tests.utils.asgi import running_client
from tests.utils.routing import RoutingTransport
from tests.utils.users import bearer, service_token

EVENT_SERVICE_URL = "http://localhost:8001"


@pytest.fixture(scope="session")
async def event_database(mongo_url: str) -> AsyncIterator[str]:
    name = f"test_events_{uuid.uuid4().hex[:8]}"
    yield name
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url)
    await client.drop_database(name)
    await client.close()


@pytest.fixture(scope="session")
def make_event_settings(mongo_url: str, event_database: str) -> Any:
    def make(**overrides: Any) -> EventSettings:
        values: dict[str, Any] = {
            "env": "test",
            "mongo_url": mongo_url,
            "event_mongo_db": event_database,
            **overrides,
        }
        return EventSettings(**values)

    return make


@pytest.fixture(scope="session")
def event_app(make_event_settings: Any, platform_transport: RoutingTransport) -> FastAPI:
    return create_app(make_event_settings(), http_transport=platform_transport)


@pytest.fixture(scope="session")
async def events_client(event_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with running_client(event_app, EVENT_SERVICE_URL) as client:
        yield client


@pytest.fixture(scope="session")
def event_store(event_app: FastAPI, events_client: httpx.AsyncClient) -> EventStore:
    store: EventStore = event_app.state.store
    return store


@pytest.fixture(scope="session")
async def service_headers(users_client: httpx.AsyncClient) -> dict[str, str]:
    return bearer(await service_token(users_client, "booking-service"))
