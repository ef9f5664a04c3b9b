"""Noticing notifications stored by any replica, and handing them to this process's hub.

With a store that has change streams (a MongoDB replica set, SecantusDB without
`--standalone`) the feed follows the collection's inserts, resuming after errors from the last
token. A standalone server refuses change streams; then (`WS_PUSH_MODE=auto` or `poll`) the
feed polls for recent notifications of the users connected here. Polling looks back
`POLL_LOOKBACK` past the previous poll, so a notification whose timestamp lags (an insert in
flight, another replica's clock) is still found; the hub hands each one out once.
"""

import asyncio
import logging
from datetime import timedelta
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.change_stream import AsyncChangeStream
from pymongo.errors import OperationFailure, PyMongoError

from notification_service.config import PushMode
from notification_service.models import Document, NotificationStore, notification_public
from notification_service.push.hub import NotificationHub
from service_kit.clock import utcnow_ms

logger = logging.getLogger(__name__)

POLL_LOOKBACK = timedelta(seconds=10)
RECONNECT_SECONDS = (0.5, 1, 2, 5, 10)
# A change stream answers an empty batch after this long, so a stop is noticed promptly.
MAX_AWAIT_MS = 1000
CHANGE_STREAM_HISTORY_LOST = 286
INSERTS_ONLY = [{"$match": {"operationType": "insert"}}]


def _reconnect_delay(failures: int) -> float:
    return RECONNECT_SECONDS[min(max(failures, 1), len(RECONNECT_SECONDS)) - 1]


class ChangeStreamsUnsupportedError(RuntimeError):
    pass


class LiveFeed:
    def __init__(
        self,
        *,
        store: NotificationStore,
        hub: NotificationHub,
        mode: PushMode,
        poll_seconds: float,
    ) -> None:
        self.store = store
        self.hub = hub
        self.requested_mode = mode
        self.mode = PushMode.POLL if mode == PushMode.POLL else PushMode.CHANGE_STREAM
        self.poll_seconds = poll_seconds
        self._stream: AsyncChangeStream[Document] | None = None
        self._resume_token: Any = None

    async def start(self) -> PushMode:
        """Open the change stream now, so nothing stored after startup is missed.

        Settles the mode: `auto` falls back to polling when the store refuses change streams;
        `change_stream` refuses to start then.
        """
        if self.mode == PushMode.CHANGE_STREAM:
            try:
                self._stream = await self._open_stream()
            except OperationFailure as exc:
                if self.requested_mode == PushMode.CHANGE_STREAM:
                    raise ChangeStreamsUnsupportedError(
                        f"WS_PUSH_MODE=change_stream, but the store refuses them: {exc}"
                    ) from exc
                logger.info("the store has no change streams (%s); polling instead", exc)
                self.mode = PushMode.POLL
        logger.info("live notifications by %s", self.mode.value)
        return self.mode

    async def run(self) -> None:
        if self.mode == PushMode.CHANGE_STREAM:
            await self._follow_stream()
        await self._poll()

    async def close(self) -> None:
        if self._stream is not None:
            await self._stream.close()
            self._stream = None

    async def _open_stream(self) -> AsyncChangeStream[Document]:
        return await self.store.notifications.watch(
            INSERTS_ONLY, resume_after=self._resume_token, max_await_time_ms=MAX_AWAIT_MS
        )

    def _publish(self, document: Document) -> None:
        if not self.hub.is_subscribed(document.get("user_email", "")):
            return
        try:
            notification = notification_public(document)
        except (KeyError, ValueError):
            logger.exception("cannot push the malformed notification %s", document.get("_id"))
            return
        self.hub.publish(notification)

    async def _follow_stream(self) -> None:
        """Returns only to fall back to polling (`auto`, the store stopped offering streams)."""
        failures = 0
        while True:
            try:
                if self._stream is None:
                    self._stream = await self._open_stream()
                async for change in self._stream:
                    self._resume_token = self._stream.resume_token
                    failures = 0
                    self._publish(change["fullDocument"])
                self._stream = None  # the server ended it (e.g. the collection was dropped)
            except OperationFailure as exc:
                await self.close()
                if exc.code == CHANGE_STREAM_HISTORY_LOST:
                    logger.warning("change stream history lost; following from now on")
                    self._resume_token = None
                elif self.requested_mode == PushMode.AUTO and not exc.has_error_label(
                    "ResumableChangeStreamError"
                ):
                    logger.warning("change stream refused (%s); polling instead", exc)
                    self.mode = PushMode.POLL
                    return
                failures += 1
            except PyMongoError as exc:
                await self.close()
                failures += 1
                logger.warning("change stream interrupted (%s); reopening", exc)
            await asyncio.sleep(_reconnect_delay(failures))

    async def _poll(self) -> None:
        since = utcnow_ms() - POLL_LOOKBACK
        while True:
            started = utcnow_ms()
            emails = self.hub.user_emails
            if emails:
                try:
                    cursor = self.store.notifications.find(
                        {"user_email": {"$in": emails}, "created_at": {"$gt": since}}
                    ).sort([("created_at", ASCENDING), ("_id", ASCENDING)])
                    async for document in cursor:
                        self._publish(document)
                except PyMongoError as exc:
                    logger.warning("polling for notifications failed (%s); trying again", exc)
                    await asyncio.sleep(self.poll_seconds)
                    continue
            since = started - POLL_LOOKBACK
            await asyncio.sleep(self.poll_seconds)
