"""WS /ws/notifications refuses other sites (`Origin`) and caps the sockets of one user."""

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from fastapi import FastAPI
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.typing import Origin

from notification_service.config import NotificationSettings
from tests.notification_service.helpers import next_message, ws_url
from tests.utils.inprocess import serve
from tests.utils.users import TestUser

APP_ORIGIN = "https://tickets.example"
MAX_SOCKETS = 2


@pytest.fixture(scope="module")
async def guarded_base_url(
    make_notification_settings: Callable[..., NotificationSettings],
    make_notification_app: Callable[[NotificationSettings], FastAPI],
) -> AsyncIterator[str]:
    settings = make_notification_settings(
        cors_origins=f"{APP_ORIGIN},http://localhost:5173", ws_max_sockets_per_user=MAX_SOCKETS
    )
    async with serve(make_notification_app(settings)) as base_url:
        yield base_url


def _bearer(user: TestUser) -> Any:
    return ["bearer", user.token]


async def test_live_socket_from_an_allowed_origin_is_served(
    guarded_base_url: str, user: TestUser
) -> None:
    async with connect(
        ws_url(guarded_base_url), subprotocols=_bearer(user), origin=Origin(APP_ORIGIN), proxy=None
    ) as socket:
        subscribed = await next_message(socket, "subscribed")

    assert subscribed["user_email"] == user.email


async def test_live_socket_from_another_site_is_refused_before_opening(
    guarded_base_url: str, user: TestUser
) -> None:
    with pytest.raises(InvalidStatus) as refused:
        async with connect(
            ws_url(guarded_base_url),
            subprotocols=_bearer(user),
            origin=Origin("https://evil.example"),
            proxy=None,
        ):
            pytest.fail("the handshake should have been refused")

    assert refused.value.response.status_code == 403


async def test_live_socket_without_origin_is_served(guarded_base_url: str, user: TestUser) -> None:
    async with connect(ws_url(guarded_base_url, user.token), proxy=None) as socket:
        assert (await next_message(socket, "subscribed"))["user_email"] == user.email


async def _closed_with(url: str, user: TestUser) -> tuple[int, str, list[str | bytes]]:
    """Connect, read until the server closes: its close code and reason, and what came first."""
    received: list[str | bytes] = []
    async with connect(url, subprotocols=_bearer(user), proxy=None) as socket, asyncio.timeout(5):
        try:
            while True:
                received.append(await socket.recv())
        except ConnectionClosed as closed:
            frame = closed.rcvd
    assert frame is not None, "the server closed without a close frame"
    return frame.code, frame.reason, received


async def test_live_sockets_past_the_cap_are_refused_newest_first_with_4429(
    guarded_base_url: str, user: TestUser, other_user: TestUser
) -> None:
    url = ws_url(guarded_base_url)
    async with (
        connect(url, subprotocols=_bearer(user), proxy=None) as first,
        connect(url, subprotocols=_bearer(user), proxy=None) as second,
    ):
        await next_message(first, "subscribed")
        await next_message(second, "subscribed")

        code, reason, received = await _closed_with(url, user)
        async with connect(url, subprotocols=_bearer(other_user), proxy=None) as someone_else:
            assert (await next_message(someone_else, "subscribed"))["user_email"] == (
                other_user.email
            )
        # The open ones go on.
        await first.ping()
        await second.ping()

    assert code == 4429
    assert "too many" in reason
    assert received == []


async def test_live_socket_cap_frees_a_place_when_one_closes(
    guarded_base_url: str, user: TestUser
) -> None:
    url = ws_url(guarded_base_url)
    async with connect(url, subprotocols=_bearer(user), proxy=None) as keep:
        await next_message(keep, "subscribed")
        async with connect(url, subprotocols=_bearer(user), proxy=None) as leaving:
            await next_message(leaving, "subscribed")

        async def third_is_served() -> bool:
            async with connect(url, subprotocols=_bearer(user), proxy=None) as third:
                try:
                    await next_message(third, "subscribed", within=2)
                except ConnectionClosed:
                    return False
                return True

        for _ in range(20):  # the server notices the close a moment later
            if await third_is_served():
                break
            await asyncio.sleep(0.1)
        else:
            pytest.fail("no place was freed")
