"""The email worker: delivers queued notifications in the background, once each, with retries.

Due notifications (`email_status: queued`, `next_attempt_at <= now`) are claimed in batches
with one conditional `update_many` (see `DueEmails`), which moves `next_attempt_at` to the end
of a lease and stamps a fresh `claim_token`. Only the holder of that token may record the outcome,
so any number of workers (replicas) can run side by side and each email is sent once. A worker
that dies mid-send leaves the claim to expire; the email is then due again and retried.
The deterministic Message-ID lets mail systems drop the duplicate in that rare case.
"""

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from prometheus_client import Counter
from pymongo import ASCENDING
from pymongo.errors import PyMongoError

from notification_service.config import NotificationSettings
from notification_service.emails import EmailRenderer, build_message
from notification_service.mailer import DeliveryError, SmtpMailer
from notification_service.models import Document, NotificationStore
from notification_service.schemas import EmailStatus
from service_kit.backoff import backoff_seconds
from service_kit.clock import utcnow_ms

logger = logging.getLogger(__name__)
RECORD_RETRY_BASE_SECONDS = 0.1

EMAILS = Counter(
    "notification_emails_total",
    "Email delivery attempts by outcome: sent, retry, failed.",
    ["outcome"],
)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    base_seconds: float
    max_seconds: float

    def delay(self, attempt: int) -> timedelta:
        """Exponential backoff with jitter, so a recovering server is not hit all at once."""
        return timedelta(
            seconds=backoff_seconds(attempt, base=self.base_seconds, cap=self.max_seconds)
        )


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


# How many due emails one claim takes. Finding them costs what the whole queue costs on a store
# that cannot stop at the first index entry (SecantusDB reads and sorts every due email for it),
# and each claim is a round trip, so a batch is found and claimed in three requests, not one per
# email.
CLAIM_BATCH = 50
# A claimed email is sent only while at least this share of its lease is left: one held back
# longer than that (the mail server is slow, the workers are busy) is handed back, so that a send
# starts with nearly a whole lease and an idle replica can take it meanwhile.
SEND_WITHIN_LEASE_SHARE = 0.9
# Claims in a row that find due emails but win none (other claimers were quicker) before giving up.
CLAIM_ROUNDS = 5


class DueEmails:
    """Claims due emails in batches, the longest-waiting first, for the workers of one process.

    One indexed query (`email_status: queued`, `next_attempt_at <= now`, oldest due first)
    finds up to `batch` candidates; one `update_many` claims those still due under a fresh
    `claim_token` (a candidate another worker or replica took meanwhile no longer matches), and
    one query by id reads back the ones this claim won. Any number of claimers take each email
    once. The workers then take the claimed emails one by one; an email claimed longer ago than
    a tenth of its lease (a slow mail server) is handed back unsent, so no send starts with less
    than nine tenths of its lease, and `release_unsent` hands back what a stopping worker claimed
    and never started. A claim counts as an attempt (`email_attempts`), so an email whose send
    keeps killing its worker is given up in the end; a process that dies holding a batch leaves
    up to `batch` emails to their leases, each with that attempt counted.
    """

    def __init__(
        self, store: NotificationStore, *, worker_id: str, lease: timedelta, batch: int
    ) -> None:
        self.store = store
        self.worker_id = worker_id
        self.lease = lease
        self.batch = batch
        self._claimed: deque[Document] = deque()
        self._claiming = asyncio.Lock()
        self.lost = 0  # candidates another claimer took between finding and claiming them

    async def claim(self) -> Document | None:
        """Take the longest-waiting due email claimed for this process, or None when none is due."""
        while True:
            if not self._claimed:
                async with self._claiming:
                    for _ in range(CLAIM_ROUNDS):
                        if self._claimed:
                            break
                        found, won = await self._claim_batch(utcnow_ms())
                        if not found:
                            return None
                        self.lost += found - len(won)
                        self._claimed.extend(won)
                    if not self._claimed:
                        return None  # others won every round: they are sending them
            claimed = self._claimed.popleft()
            left = claimed["next_attempt_at"] - utcnow_ms()
            if left >= self.lease * SEND_WITHIN_LEASE_SHARE:
                return claimed
            await self._hand_back([claimed])

    async def release_unsent(self) -> None:
        """Hand back every email claimed here and not yet taken by a worker."""
        unsent, self._claimed = list(self._claimed), deque()
        if unsent:
            await self._hand_back(unsent)

    async def _claim_batch(self, now: datetime) -> tuple[int, list[Document]]:
        """How many emails were found due, and those of them this claim won."""
        found = (
            self.store.notifications.find(_due(now), {"_id": 1})
            .sort("next_attempt_at", ASCENDING)
            .limit(self.batch)
        )
        ids = [document["_id"] async for document in found]
        if not ids:
            return 0, []
        token = uuid.uuid4().hex
        await self.store.notifications.update_many(
            {"_id": {"$in": ids}, **_due(now)},
            {
                "$set": {
                    "next_attempt_at": now + self.lease,
                    "claimed_by": self.worker_id,
                    "claim_token": token,
                },
                "$inc": {"email_attempts": 1},
            },
        )
        won = {
            document["_id"]: document
            async for document in self.store.notifications.find(
                {"_id": {"$in": ids}, "claim_token": token}
            )
        }
        return len(ids), [won[notification_id] for notification_id in ids if notification_id in won]

    async def _hand_back(self, claimed: list[Document]) -> None:
        """Make claimed, unsent emails due again at once, as if this claim had not happened."""
        for token in {document["claim_token"] for document in claimed}:
            await self.store.notifications.update_many(
                {
                    "_id": {"$in": [d["_id"] for d in claimed if d["claim_token"] == token]},
                    "claim_token": token,
                },
                {
                    "$set": {"next_attempt_at": utcnow_ms()},
                    "$unset": {"claim_token": ""},
                    "$inc": {"email_attempts": -1},
                },
            )


def _due(now: datetime) -> Document:
    return {"email_status": EmailStatus.QUEUED.value, "next_attempt_at": {"$lte": now}}


async def _record(store: NotificationStore, claimed: Document, update: Mapping[str, Any]) -> bool:
    """Apply `update` if the claim is still ours (its lease may have run out and moved on).

    `claimed_by` stays: it names the worker of the latest attempt. While the store cannot be
    reached, the update is tried again until the lease runs out: an email already sent must be
    recorded as sent, or the next worker to claim it would send it again.
    """
    release = {"claim_token": "", **update.get("$unset", {})}
    lease_ends: datetime = claimed["next_attempt_at"]
    attempt = 0
    while True:
        try:
            result = await store.notifications.update_one(
                {"_id": claimed["_id"], "claim_token": claimed["claim_token"]},
                {**update, "$unset": release},
            )
            break
        except PyMongoError as exc:
            attempt += 1
            delay = backoff_seconds(attempt, base=RECORD_RETRY_BASE_SECONDS, cap=1.0)
            if utcnow_ms() + timedelta(seconds=delay) >= lease_ends:
                raise
            logger.warning(
                "cannot record the outcome of notification %s yet (%s); trying again",
                claimed["_id"],
                exc,
            )
            await asyncio.sleep(delay)
    if result.modified_count == 0:
        logger.warning("lost the claim on notification %s before recording it", claimed["_id"])
    return result.modified_count == 1


class EmailWorker:
    def __init__(
        self,
        *,
        store: NotificationStore,
        mailer: SmtpMailer,
        renderer: EmailRenderer,
        settings: NotificationSettings,
        worker_id: str | None = None,
    ) -> None:
        self.store = store
        self.mailer = mailer
        self.renderer = renderer
        self.sender = settings.smtp_from
        self.sender_domain = settings.sender_domain
        self.concurrency = settings.email_worker_concurrency
        self.poll_seconds = settings.email_poll_seconds
        self.lease = timedelta(seconds=settings.email_lease_seconds)
        self.retry = RetryPolicy(
            max_attempts=settings.email_max_attempts,
            base_seconds=settings.email_retry_base_seconds,
            max_seconds=settings.email_retry_max_seconds,
        )
        self.worker_id = worker_id or worker_name()
        self.due = DueEmails(store, worker_id=self.worker_id, lease=self.lease, batch=CLAIM_BATCH)
        self._wake = asyncio.Event()
        self._stopping = False

    def wake(self) -> None:
        """Look for due email now (called after a notification is stored in this process)."""
        self._wake.set()

    def stop(self) -> None:
        """Finish the emails in flight, claim no more."""
        self._stopping = True
        self._wake.set()

    async def run(self) -> None:
        try:
            async with asyncio.TaskGroup() as group:
                for _ in range(self.concurrency):
                    group.create_task(self._deliver_until_stopped())
        finally:
            # Also when cancelled after the shutdown grace period: unsent claims go back now.
            try:
                await self.due.release_unsent()
            except PyMongoError as exc:
                logger.warning("could not hand back claimed emails (%s); their leases expire", exc)

    async def _deliver_until_stopped(self) -> None:
        while not self._stopping:
            try:
                delivered = await self.deliver_next()
            except PyMongoError as exc:
                logger.warning("email worker cannot reach the store (%s); trying again", exc)
                delivered = False
            except Exception:
                # One bad document must not stop delivery of the others.
                logger.exception("email worker error; carrying on")
                delivered = False
            if not delivered and not self._stopping:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.poll_seconds)
                if not self._stopping:
                    self._wake.clear()

    async def deliver_next(self) -> bool:
        """Claim and deliver one due email; False when none is due."""
        claimed = await self.due.claim()
        if claimed is None:
            return False
        await self._deliver(claimed)
        return True

    async def _deliver(self, claimed: Document) -> None:
        attempt: int = claimed["email_attempts"]
        if attempt > self.retry.max_attempts:
            # The worker of the last attempt stopped before recording its outcome.
            await self._give_up(claimed, claimed.get("last_error") or "delivery was interrupted")
            return
        try:
            message = build_message(
                document=claimed,
                rendered=self.renderer.render(claimed),
                sender=self.sender,
                sender_domain=self.sender_domain,
            )
            await self.mailer.send(message, recipient=claimed["user_email"])
        except DeliveryError as exc:
            if exc.permanent or attempt >= self.retry.max_attempts:
                await self._give_up(claimed, str(exc))
            else:
                await self._retry_later(claimed, str(exc), attempt)
            return
        except Exception as exc:
            logger.exception("could not build the email of notification %s", claimed["_id"])
            await self._give_up(claimed, f"{type(exc).__name__}: {exc}")
            return
        if await _record(
            self.store,
            claimed,
            {
                "$set": {"email_status": EmailStatus.SENT.value, "sent_at": utcnow_ms()},
                "$unset": {"next_attempt_at": ""},
            },
        ):
            EMAILS.labels("sent").inc()
            logger.info("sent the email of notification %s", claimed["_id"])

    async def _retry_later(self, claimed: Document, error: str, attempt: int) -> None:
        due = utcnow_ms() + self.retry.delay(attempt)
        await _record(self.store, claimed, {"$set": {"last_error": error, "next_attempt_at": due}})
        EMAILS.labels("retry").inc()
        logger.warning(
            "email of notification %s failed (attempt %d), retrying at %s: %s",
            claimed["_id"],
            attempt,
            due.isoformat(),
            error,
        )

    async def _give_up(self, claimed: Document, error: str) -> None:
        await _record(
            self.store,
            claimed,
            {
                "$set": {"email_status": EmailStatus.FAILED.value, "last_error": error},
                "$unset": {"next_attempt_at": ""},
            },
        )
        EMAILS.labels("failed").inc()
        logger.error("gave up on the email of notification %s: %s", claimed["_id"], error)
