"""With its MongoDB server gone, notification-service answers 503 at once, naming the store."""

import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from notification_service.config import NotificationSettings
from tests.notification_service.helpers import generic_payload
from tests.utils.asgi import running_client
from tests.utils.hostile import assert_store_unavailable
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
    make_notification_settings: Callable[..., NotificationSettings],
    make_notification_app: Callable[[NotificationSettings], FastAPI],
) -> AsyncIterator[httpx.AsyncClient]:
    app = make_notification_app(make_notification_settings(mongo_url=mongo.url))
    async with running_client(app) as client:
        yield client


async def test_list_notifications_with_mongo_down_is_prompt_503_naming_the_store(
    client: httpx.AsyncClient, mongo: StoppableMongo, user: TestUser
) -> None:
    path = f"/notifications/{user.email}"
    assert (await client.get(path, headers=user.headers)).status_code == 200
    mongo.stop()

    started = time.monotonic()
    response = await client.get(path, headers=user.headers)

    assert time.monotonic() - started < PROMPT_SECONDS
    assert_store_unavailable(response)


async def test_create_notification_with_mongo_down_is_503(
    client: httpx.AsyncClient, mongo: StoppableMongo, service_headers: dict[str, str]
) -> None:
    mongo.stop()

    response = await client.post(
        "/notifications", json=generic_payload("someone@example.com"), headers=service_headers
    )

    assert_store_unavailable(response)
