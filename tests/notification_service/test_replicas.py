"""Two replicas on one database: each email is claimed, and sent, exactly once."""

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Callable
from contextlib import AsyncExitStack
from datetime import timedelta

import pytest
from fastapi import FastAPI

from notification_service.config import NotificationSettings
from notification_service.delivery import DueEmails
from notification_service.models import NotificationStore
from tests.harness.smtp import run_smtp_sink
from tests.notification_service.helpers import store_queued
from tests.utils.asgi import running_client
from tests.utils.waiting import eventually

MakeSettings = Callable[..., NotificationSettings]
MakeApp = Callable[[NotificationSettings], FastAPI]
EMAILS = 60

logger = logging.getLogger(__name__)


@pytest.mark.parametrize("batch", [1, 15])
async def test_claims_by_two_replicas_racing_take_each_email_once(
    make_notification_settings: MakeSettings,
    make_notification_app: MakeApp,
    service_headers: dict[str, str],
    batch: int,
) -> None:
    settings = make_notification_settings(email_worker_enabled=False)
    app = make_notification_app(settings)
    async with running_client(app) as client:
        await store_queued(client, service_headers, 40)
        store: NotificationStore = app.state.store
        lease = timedelta(minutes=1)
        # Two replicas, each finding `batch` candidates at a time for its four workers.
        replicas = [
            DueEmails(store, worker_id=f"replica-{n}", lease=lease, batch=batch) for n in range(2)
        ]

        async def claim_all(due: DueEmails) -> list[str]:
            claimed = []
            while (document := await due.claim()) is not None:
                claimed.append(str(document["_id"]))
            return claimed

        results = await asyncio.gather(*(claim_all(replicas[n % 2]) for n in range(8)))

    claimed = [notification_id for result in results for notification_id in result]
    assert len(claimed) == 40
    assert len(set(claimed)) == 40
    # The replicas raced: each took some, or one found candidates the other claimed first.
    both_took = any(results[0::2]) and any(results[1::2])
    assert both_took or sum(due.lost for due in replicas) > 0


async def test_two_replicas_deliver_every_queued_email_exactly_once(
    make_notification_settings: MakeSettings,
    make_notification_app: MakeApp,
    service_headers: dict[str, str],
) -> None:
    with run_smtp_sink() as sink:
        settings = make_notification_settings(smtp_port=sink.port)
        no_worker = settings.model_copy(update={"email_worker_enabled": False})
        api_only = make_notification_app(no_worker)
        async with running_client(api_only) as client:
            recipients = await store_queued(client, service_headers, EMAILS)
            store: NotificationStore = api_only.state.store

            replicas = [make_notification_app(settings) for _ in range(2)]
            async with AsyncExitStack() as stack:
                started = time.perf_counter()
                for replica in replicas:
                    await stack.enter_async_context(running_client(replica))

                async def all_sent() -> bool:
                    return await store.notifications.count_documents(
                        {"email_status": "sent"}
                    ) == len(recipients)

                await eventually(all_sent, within=30)
                elapsed = time.perf_counter() - started
                await asyncio.sleep(0.3)  # a double send would show up by now
                worker_ids = [replica.state.email_worker.worker_id for replica in replicas]

            documents = await store.notifications.find({}).to_list()
        messages = sink.messages()

    assert sorted(message["To"] for message in messages) == sorted(recipients)
    assert len({message["Message-ID"] for message in messages}) == len(recipients)
    assert all(document["email_attempts"] == 1 for document in documents)
    senders = Counter(document["claimed_by"] for document in documents)
    assert set(senders) <= set(worker_ids)
    logger.warning(
        "two replicas sent %d emails in %.2fs (%.0f/s), split %s",
        len(messages),
        elapsed,
        len(messages) / elapsed,
        dict(senders),
    )
