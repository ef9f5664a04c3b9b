"""Choosing how other replicas' notifications are noticed, and the hub handing them out."""

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI

from notification_service.config import NotificationSettings, PushMode
from notification_service.push.feed import ChangeStreamsUnsupportedError
from notification_service.push.hub import NotificationHub
from notification_service.schemas import NotificationPublic
from tests.utils.asgi import running_client

MakeSettings = Callable[..., NotificationSettings]
MakeApp = Callable[[NotificationSettings], FastAPI]


async def test_push_mode_auto_on_a_replica_set_follows_the_change_stream(
    make_notification_settings: MakeSettings, make_notification_app: MakeApp, replica_mongo_url: str
) -> None:
    app = make_notification_app(make_notification_settings(mongo_url=replica_mongo_url))

    async with running_client(app):
        assert app.state.feed.mode == PushMode.CHANGE_STREAM


async def test_push_mode_auto_on_a_standalone_server_falls_back_to_polling(
    make_notification_settings: MakeSettings,
    make_notification_app: MakeApp,
    standalone_mongo_url: str,
) -> None:
    app = make_notification_app(make_notification_settings(mongo_url=standalone_mongo_url))

    async with running_client(app):
        assert app.state.feed.mode == PushMode.POLL


async def test_push_mode_change_stream_on_a_standalone_server_refuses_to_start(
    make_notification_settings: MakeSettings,
    make_notification_app: MakeApp,
    standalone_mongo_url: str,
) -> None:
    settings = make_notification_settings(
        mongo_url=standalone_mongo_url, ws_push_mode="change_stream"
    )

    with pytest.raises(ChangeStreamsUnsupportedError):
        async with running_client(make_notification_app(settings)):
            pass


def _notification(number: int, user_email: str = "ada@example.com") -> NotificationPublic:
    now = datetime.now(UTC)
    return NotificationPublic(
        id=f"{number:024x}",
        user_email=user_email,
        kind="generic",
        subject="s",
        body="b",
        data=None,
        dedupe_key=None,
        read=False,
        read_at=None,
        email_status="queued",
        email_attempts=0,
        last_error=None,
        created_at=now,
        sent_at=None,
    )


def test_hub_hands_each_notification_to_its_users_subscribers_once() -> None:
    hub = NotificationHub()
    with hub.subscribe("ada@example.com") as ada, hub.subscribe("bob@example.com") as bob:
        first = hub.publish(_notification(1))
        again = hub.publish(_notification(1))

        assert (first, again) == (True, False)
        assert ada.queue.qsize() == 1
        assert bob.queue.qsize() == 0
    assert hub.subscriber_count == 0


def test_hub_subscriber_falling_behind_is_marked_lost() -> None:
    hub = NotificationHub(max_pending=2)
    with hub.subscribe("ada@example.com") as ada:
        for number in range(3):
            hub.publish(_notification(number))

        assert ada.lost.is_set()
