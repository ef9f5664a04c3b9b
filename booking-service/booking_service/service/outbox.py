"""The outbox relay: delivers booking notifications to notification-service, at least once.

Messages are claimed a batch at a time with a lease (one conditional update; a message goes
to only one relay), so several replicas can relay together; a relay that dies mid-delivery
loses its lease and another delivers the message again, which notification-service's dedupe
key makes harmless.
"""

import asyncio
import logging
from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from booking_service.clients.notifications import DeliveryError, NotificationsClient
from booking_service.models import OutboxMessage
from booking_service.statuses import OutboxStatus
from service_kit.backoff import backoff_seconds
from service_kit.clock import utcnow
from service_kit.loops import run_periodically

logger = logging.getLogger(__name__)


class OutboxRelay:
    """Delivers due messages every `poll_seconds` (or when woken), `batch_size` at a time.

    A failed delivery is tried again after jittered exponential backoff (`backoff_base_seconds`
    doubling up to `backoff_max_seconds`), `max_attempts` times in all, and a claimed message
    is kept for `lease_seconds` before another relay may take it. The relay is the only layer
    that retries a delivery.
    """

    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        notifications: NotificationsClient,
        poll_seconds: float,
        batch_size: int,
        max_attempts: int,
        backoff_base_seconds: float,
        backoff_max_seconds: float,
        lease_seconds: float,
    ) -> None:
        self.sessions = sessions
        self.notifications = notifications
        self.poll_seconds = poll_seconds
        self.batch_size = batch_size
        self.max_attempts = max_attempts
        self.backoff_base_seconds = backoff_base_seconds
        self.backoff_max_seconds = backoff_max_seconds
        self.lease_seconds = lease_seconds
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Deliver now rather than at the next poll (called after a commit adds messages)."""
        self._wake.set()

    def backoff(self, attempts: int) -> timedelta:
        return timedelta(
            seconds=backoff_seconds(
                attempts, base=self.backoff_base_seconds, cap=self.backoff_max_seconds
            )
        )

    async def _claim(self) -> list[OutboxMessage]:
        """Lease up to `batch_size` due messages in one statement; only one relay wins each.

        PostgreSQL skips rows another relay is claiming (SKIP LOCKED); the condition is checked
        again by the update itself, so a message leased meanwhile is never taken twice.
        """
        now = utcnow()
        claimable = (
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.next_attempt_at <= now,
            or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until < now),
        )
        due = (
            select(OutboxMessage.id)
            .where(*claimable)
            .order_by(OutboxMessage.next_attempt_at)
            .limit(self.batch_size)
            .with_for_update(skip_locked=True)
        )
        async with self.sessions() as session:
            claimed = await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(due.scalar_subquery()), *claimable)
                .values(locked_until=now + timedelta(seconds=self.lease_seconds))
                .returning(OutboxMessage)
                .execution_options(synchronize_session=False)
            )
            messages = list(claimed.scalars().all())
            await session.commit()
        return messages

    async def _deliver(self, message: OutboxMessage) -> dict[str, object] | None:
        """Send one message; None when delivered, else what to record of the failure."""
        try:
            await self.notifications.send(message.payload)
        except DeliveryError as exc:
            attempts = message.attempts + 1
            dead = exc.permanent or attempts >= self.max_attempts
            log = logger.error if dead else logger.info
            log("notification %s not delivered (attempt %d): %s", message.id, attempts, exc)
            return {
                "attempts": attempts,
                "last_error": str(exc)[:500],
                "locked_until": None,
                "status": OutboxStatus.DEAD if dead else OutboxStatus.PENDING,
                "next_attempt_at": utcnow() + self.backoff(attempts),
            }
        return None

    async def _record(
        self, delivered: list[OutboxMessage], failed: list[tuple[OutboxMessage, dict[str, object]]]
    ) -> None:
        """Record the outcomes, the deliveries in one statement. Only while still pending: a
        relay whose lease ran out must not overwrite what the relay that took over recorded."""
        async with self.sessions() as session:
            if delivered:
                await session.execute(
                    update(OutboxMessage)
                    .where(
                        OutboxMessage.id.in_([message.id for message in delivered]),
                        OutboxMessage.status == OutboxStatus.PENDING,
                    )
                    .values(
                        status=OutboxStatus.DELIVERED,
                        delivered_at=utcnow(),
                        locked_until=None,
                        attempts=OutboxMessage.attempts + 1,
                        last_error=None,
                    )
                    .execution_options(synchronize_session=False)
                )
            for message, values in failed:
                await session.execute(
                    update(OutboxMessage)
                    .where(
                        OutboxMessage.id == message.id,
                        OutboxMessage.status == OutboxStatus.PENDING,
                    )
                    .values(values)
                )
            await session.commit()

    async def deliver_due(self) -> int:
        """Deliver what is due now; returns how many messages were claimed."""
        claimed = await self._claim()
        outcomes = await asyncio.gather(*(self._deliver(message) for message in claimed))
        delivered = [
            message for message, failure in zip(claimed, outcomes, strict=True) if not failure
        ]
        failed = [
            (message, failure)
            for message, failure in zip(claimed, outcomes, strict=True)
            if failure is not None
        ]
        if claimed:
            await self._record(delivered, failed)
        return len(claimed)

    async def run(self) -> None:
        async def relay() -> bool:
            # A full batch means more may be waiting: take the next one at once.
            return await self.deliver_due() == self.batch_size

        await run_periodically(
            relay, interval=self.poll_seconds, name="outbox relay", wake=self._wake
        )
