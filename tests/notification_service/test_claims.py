"""Batched email claims: what a claim takes, and what it hands back unsent."""

import asyncio
from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi import FastAPI

from notification_service.config import NotificationSettings
from notification_service.delivery import DueEmails
from notification_service.models import NotificationStore
from service_kit.clock import utcnow_ms
from tests.notification_service.helpers import store_queued
from tests.utils.asgi import running_client

MakeSettings = Callable[..., NotificationSettings]
MakeApp = Callable[[NotificationSettings], FastAPI]


@pytest.fixture
def api_only(make_notification_settings: MakeSettings, make_notification_app: MakeApp) -> FastAPI:
    """The app without its email worker: the test claims by hand."""
    return make_notification_app(make_notification_settings(email_worker_enabled=False))


async def test_a_claim_takes_a_batch_oldest_first_and_hands_back_the_rest_when_stopping(
    api_only: FastAPI, service_headers: dict[str, str]
) -> None:
    async with running_client(api_only) as client:
        recipients = []
        for _ in range(3):  # three waves, so the queue has an order to keep
            recipients += await store_queued(client, service_headers, 2)
        store: NotificationStore = api_only.state.store
        due = DueEmails(store, worker_id="stopping", lease=timedelta(minutes=1), batch=4)

        first = await due.claim()
        assert first is not None
        claimed = await store.notifications.count_documents({"claimed_by": "stopping"})
        waves = [set(recipients[:2]), set(recipients[2:4])]
        await due.release_unsent()

        documents = await store.notifications.find({}).to_list()

    assert claimed == 4  # one update claimed the four longest-waiting, not one each
    assert first["user_email"] in waves[0]
    assert first["email_attempts"] == 1
    by_email = {document["user_email"]: document for document in documents}
    taken = by_email.pop(first["user_email"])
    assert taken["claim_token"] == first["claim_token"]
    assert taken["next_attempt_at"] > utcnow_ms() + timedelta(seconds=30)
    # The three claimed and never started are due again, as if never claimed.
    for email, document in by_email.items():
        assert "claim_token" not in document or document["claim_token"] == "", email
        assert document["email_attempts"] == 0, email
        assert document["next_attempt_at"] <= utcnow_ms(), email


async def test_an_email_held_over_a_tenth_of_its_lease_is_handed_back_and_claimed_afresh(
    api_only: FastAPI, service_headers: dict[str, str]
) -> None:
    async with running_client(api_only) as client:
        await store_queued(client, service_headers, 3)
        store: NotificationStore = api_only.state.store
        lease = timedelta(seconds=1)
        due = DueEmails(store, worker_id="slow", lease=lease, batch=3)

        first = await due.claim()
        assert first is not None
        await asyncio.sleep(0.3)  # a slow send: the other two have under 0.9 of their lease left
        second = await due.claim()
        assert second is not None
        third = await due.claim()
        assert third is not None
        after = await due.claim()

    assert len({first["_id"], second["_id"], third["_id"]}) == 3
    for claimed in (second, third):
        # Handed back, then claimed again by a fresh claim with a whole lease.
        assert claimed["claim_token"] != first["claim_token"]
        assert claimed["email_attempts"] == 1
        assert claimed["next_attempt_at"] > first["next_attempt_at"]
    assert after is None
