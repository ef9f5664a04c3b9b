"""This process's live subscribers (open WebSockets), and handing each new notification to them.

The same notification may arrive twice (stored here, then seen again by the feed); it is handed
out once. A subscriber that falls too far behind is marked lost and its socket closed, so the
client reconnects and reloads rather than silently missing notifications.
"""

import asyncio
import time
from collections.abc import Iterator
from contextlib import contextmanager

from notification_service.schemas import NotificationPublic

DEFAULT_MAX_PENDING = 100
DEFAULT_REMEMBER_SECONDS = 300.0
MAX_REMEMBERED = 100_000


class Subscription:
    def __init__(self, user_email: str, *, max_pending: int) -> None:
        self.user_email = user_email
        self.queue: asyncio.Queue[NotificationPublic] = asyncio.Queue(max_pending)
        self.lost = asyncio.Event()

    def offer(self, notification: NotificationPublic) -> None:
        try:
            self.queue.put_nowait(notification)
        except asyncio.QueueFull:
            self.lost.set()


class NotificationHub:
    def __init__(
        self,
        *,
        max_pending: int = DEFAULT_MAX_PENDING,
        remember_seconds: float = DEFAULT_REMEMBER_SECONDS,
    ) -> None:
        self.max_pending = max_pending
        self.remember_seconds = remember_seconds
        self._subscribers: dict[str, set[Subscription]] = {}
        self._seen: dict[str, float] = {}  # in arrival order
        self.closing = asyncio.Event()

    @property
    def user_emails(self) -> list[str]:
        return list(self._subscribers)

    def is_subscribed(self, user_email: str) -> bool:
        return user_email in self._subscribers

    @property
    def subscriber_count(self) -> int:
        return sum(len(subscriptions) for subscriptions in self._subscribers.values())

    def subscriptions_of(self, user_email: str) -> int:
        return len(self._subscribers.get(user_email, ()))

    @contextmanager
    def subscribe(self, user_email: str) -> Iterator[Subscription]:
        subscription = Subscription(user_email, max_pending=self.max_pending)
        self._subscribers.setdefault(user_email, set()).add(subscription)
        try:
            yield subscription
        finally:
            subscriptions = self._subscribers.get(user_email, set())
            subscriptions.discard(subscription)
            if not subscriptions:
                self._subscribers.pop(user_email, None)

    def publish(self, notification: NotificationPublic) -> bool:
        """Hand `notification` to its user's subscribers; False if it was handed out before."""
        now = time.monotonic()
        self._forget_before(now - self.remember_seconds)
        if notification.id in self._seen:
            return False
        self._seen[notification.id] = now
        for subscription in self._subscribers.get(notification.user_email, ()):
            subscription.offer(notification)
        return True

    def close(self) -> None:
        """The service is stopping: every live socket is told to go (and reconnect elsewhere)."""
        self.closing.set()

    def _forget_before(self, cutoff: float) -> None:
        while self._seen:
            oldest_id, seen_at = next(iter(self._seen.items()))
            if seen_at >= cutoff and len(self._seen) < MAX_REMEMBERED:
                return
            del self._seen[oldest_id]
