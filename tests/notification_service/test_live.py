"""WS /ws/notifications against the app served by uvicorn on a real port."""

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from notification_service.config import NotificationSettings
from tests.notification_service.helpers import (
    booking_payload,
    next_message,
    post_notification,
    ws_url,
)
from tests.utils.asgi import running_client
from tests.utils.inprocess import serve
from tests.utils.users import TestUser, random_email

logger = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 0.5
# A push read from the store (polling) may already show the email's delivery under way.
DELIVERY = {"email_status", "email_attempts", "sent_at"}


@pytest.fixture(scope="module")
async def live_base_url(
    make_notification_settings: Callable[..., NotificationSettings],
    make_notification_app: Callable[[NotificationSettings], FastAPI],
) -> AsyncIterator[str]:
    settings = make_notification_settings(ws_heartbeat_seconds=HEARTBEAT_SECONDS)
    async with serve(make_notification_app(settings)) as base_url:
        yield base_url


def _without(notification: dict[str, Any], keys: set[str]) -> dict[str, Any]:
    return {key: value for key, value in notification.items() if key not in keys}


async def close_code(url: str, **options: Any) -> tuple[int, list[Any]]:
    """Connect, read until the server closes; its close code and the messages before it."""
    received = []
    async with connect(url, proxy=None, **options) as socket, asyncio.timeout(5):
        try:
            while True:
                received.append(await socket.recv())
        except ConnectionClosed as closed:
            frame = closed.rcvd
    assert frame is not None, "the server closed without a close frame"
    return frame.code, received


async def test_live_notification_stored_through_the_api_is_pushed_at_once(
    live_base_url: str, service_headers: dict[str, str], user: TestUser
) -> None:
    async with (
        connect(ws_url(live_base_url, user.token), proxy=None) as socket,
        httpx.AsyncClient(base_url=live_base_url) as client,
    ):
        subscribed = await next_message(socket, "subscribed")
        started = time.perf_counter()
        created = await post_notification(client, service_headers, booking_payload(user.email))
        pushed = await next_message(socket)
        latency = time.perf_counter() - started

    assert subscribed["user_email"] == user.email
    assert _without(pushed["notification"], DELIVERY) == _without(created, DELIVERY)
    logger.warning("POST to WebSocket push: %.1f ms", latency * 1000)


async def test_live_token_in_query_is_kept_out_of_the_logs(
    live_base_url: str, user: TestUser, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        async with connect(ws_url(live_base_url, user.token), proxy=None) as socket:
            await next_message(socket, "subscribed")

    assert "token=[redacted]" in caplog.text
    assert user.token not in caplog.text


async def test_live_token_in_subprotocol_is_accepted_with_bearer_protocol(
    live_base_url: str, user: TestUser
) -> None:
    async with connect(
        ws_url(live_base_url), subprotocols=["bearer", user.token], proxy=None
    ) as socket:  # type: ignore[list-item]
        subscribed = await next_message(socket, "subscribed")

        assert socket.subprotocol == "bearer"
    assert subscribed["user_email"] == user.email


async def test_live_only_the_users_own_notifications_are_pushed(
    live_base_url: str, service_headers: dict[str, str], user: TestUser
) -> None:
    async with (
        connect(ws_url(live_base_url, user.token), proxy=None) as socket,
        httpx.AsyncClient(base_url=live_base_url) as client,
    ):
        await next_message(socket, "subscribed")
        await post_notification(client, service_headers, booking_payload(random_email()))
        mine = await post_notification(client, service_headers, booking_payload(user.email))
        pushed = await next_message(socket)

    assert pushed["notification"]["id"] == mine["id"]


async def test_live_quiet_socket_gets_heartbeats(live_base_url: str, user: TestUser) -> None:
    async with connect(ws_url(live_base_url, user.token), proxy=None) as socket:
        await next_message(socket, "subscribed")
        heartbeat = await next_message(socket, "heartbeat", within=HEARTBEAT_SECONDS * 4)

    assert heartbeat["at"]


@pytest.mark.parametrize(
    "token", ["junk", "", "eyJhbGciOiJFZERTQSJ9.e30.c2ln"], ids=["junk", "empty", "forged"]
)
async def test_live_bad_token_closes_4401_before_any_message(
    live_base_url: str, token: str
) -> None:
    code, received = await close_code(ws_url(live_base_url, token))

    assert code == 4401
    assert received == []


async def test_live_missing_token_closes_4401(live_base_url: str) -> None:
    code, received = await close_code(ws_url(live_base_url))

    assert (code, received) == (4401, [])


async def test_live_bad_token_in_subprotocol_closes_4401(live_base_url: str) -> None:
    code, received = await close_code(ws_url(live_base_url), subprotocols=["bearer", "junk"])

    assert (code, received) == (4401, [])


def _mint(user_app: FastAPI, user: TestUser, lifetime: timedelta) -> str:
    token: str = user_app.state.signing_key.mint(
        subject=user.id,
        role="user",
        email=user.email,
        issuer="event-booking/user-service",
        audience="event-booking",
        lifetime=lifetime,
    )
    return token


async def test_live_expired_token_closes_4401(
    live_base_url: str, user_app: FastAPI, user: TestUser
) -> None:
    expired = _mint(user_app, user, timedelta(seconds=-5))

    code, received = await close_code(ws_url(live_base_url, expired))

    assert (code, received) == (4401, [])


async def test_live_token_expiring_while_connected_closes_4401(
    live_base_url: str, user_app: FastAPI, user: TestUser
) -> None:
    short_lived = _mint(user_app, user, timedelta(seconds=2))

    code, received = await close_code(ws_url(live_base_url, short_lived))

    assert code == 4401
    assert json.loads(received[0])["type"] == "subscribed"


async def test_live_service_token_closes_4403(
    live_base_url: str, service_headers: dict[str, str]
) -> None:
    token = service_headers["Authorization"].removeprefix("Bearer ")

    code, received = await close_code(ws_url(live_base_url, token))

    assert (code, received) == (4403, [])


@pytest.mark.parametrize("mode", ["poll", "change_stream"])
async def test_live_notification_stored_by_another_replica_is_pushed(
    make_notification_settings: Callable[..., NotificationSettings],
    make_notification_app: Callable[[NotificationSettings], FastAPI],
    replica_mongo_url: str,
    standalone_mongo_url: str,
    service_headers: dict[str, str],
    user: TestUser,
    mode: str,
) -> None:
    url = replica_mongo_url if mode == "change_stream" else standalone_mongo_url
    settings = make_notification_settings(mongo_url=url, ws_push_mode=mode)
    serving = make_notification_app(settings)
    other = make_notification_app(settings.model_copy(update={"email_worker_enabled": False}))
    async with (
        serve(serving) as base_url,
        running_client(other) as other_client,
        connect(ws_url(base_url, user.token), proxy=None) as socket,
    ):
        await next_message(socket, "subscribed")
        started = time.perf_counter()
        created = await post_notification(
            other_client, service_headers, booking_payload(user.email)
        )
        pushed = await next_message(socket)
        latency = time.perf_counter() - started

    assert serving.state.feed.mode == mode
    assert _without(pushed["notification"], DELIVERY) == _without(created, DELIVERY)
    logger.warning("another replica's notification pushed by %s in %.1f ms", mode, latency * 1000)
