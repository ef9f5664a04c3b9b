"""The outbox relay: delivers booking notifications to notification-service, at least once.

Messages are claimed one by one with a lease (a conditional update only one relay wins), so
several replicas can relay together; a relay that dies mid-delivery loses its lease and another
delivers the message again, which notification-service's dedupe key makes harmless.
"""

import asyncio
import logging
from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from booking_service.clients.notifications import DeliveryError, NotificationsClient
from booking_service.config import BookingSettings
from booking_service.models import OutboxMessage
from service_kit.backoff import backoff_seconds
from service_kit.clock import utcnow
from service_kit.loops import run_periodically

logger = logging.getLogger(__name__)


class OutboxRelay:
    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        notifications: NotificationsClient,
        settings: BookingSettings,
    ) -> None:
        self.sessions = sessions
        self.notifications = notifications
        self.settings = settings
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Deliver now rather than at the next poll (called after a commit adds messages)."""
        self._wake.set()

    def backoff(self, attempts: int) -> timedelta:
        return timedelta(
            seconds=backoff_seconds(
                attempts,
                base=self.settings.outbox_backoff_seconds,
                cap=self.settings.outbox_backoff_max_seconds,
            )
        )

    async def _claim(self) -> list[OutboxMessage]:
        now = utcnow()
        lease = now + timedelta(seconds=self.settings.outbox_lease_seconds)
        claimable = (
            OutboxMessage.status == "pending",
            OutboxMessage.next_attempt_at <= now,
            or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until < now),
        )
        claimed: list[OutboxMessage] = []
        async with self.sessions() as session:
            candidates = (
                (
                    await session.execute(
                        select(OutboxMessage)
                        .where(*claimable)
                        .order_by(OutboxMessage.next_attempt_at)
                        .limit(self.settings.outbox_batch_size)
                    )
                )
                .scalars()
                .all()
            )
            for message in candidates:
                won = await session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id == message.id, *claimable)
                    .values(locked_until=lease)
                )
                await session.commit()
                if won.rowcount == 1:  # type: ignore[attr-defined]
                    claimed.append(message)
        return claimed

    async def _deliver(self, message: OutboxMessage) -> None:
        values: dict[str, object]
        try:
            await self.notifications.send(message.payload)
        except DeliveryError as exc:
            attempts = message.attempts + 1
            dead = exc.permanent or attempts >= self.settings.outbox_max_attempts
            values = {
                "attempts": attempts,
                "last_error": str(exc)[:500],
                "locked_until": None,
                "status": "dead" if dead else "pending",
                "next_attempt_at": utcnow() + self.backoff(attempts),
            }
            log = logger.error if dead else logger.info
            log("notification %s not delivered (attempt %d): %s", message.id, attempts, exc)
        else:
            values = {
                "status": "delivered",
                "delivered_at": utcnow(),
                "locked_until": None,
                "attempts": message.attempts + 1,
                "last_error": None,
            }
        async with self.sessions() as session:
            await session.execute(
                # Only while still pending: a relay whose lease ran out must not overwrite
                # the outcome recorded by the relay that took the message over.
                update(OutboxMessage)
                .where(OutboxMessage.id == message.id, OutboxMessage.status == "pending")
                .values(values)
            )
            await session.commit()

    async def deliver_due(self) -> int:
        """Deliver what is due now; returns how many messages were claimed."""
        claimed = await self._claim()
        await asyncio.gather(*(self._deliver(message) for message in claimed))
        return len(claimed)

    async def run(self) -> None:
        async def relay() -> bool:
            # A full batch means more may be waiting: take the next one at once.
            return await self.deliver_due() == self.settings.outbox_batch_size

        await run_periodically(
            relay, interval=self.settings.outbox_poll_seconds, name="outbox relay", wake=self._wake
        )
