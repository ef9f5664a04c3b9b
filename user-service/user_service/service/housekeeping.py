"""Forgetting what no check needs any more: old attempts and expired refresh tokens.

Every replica may run it at once: each pass is a pair of idempotent deletes.
"""

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from service_kit.clock import utcnow
from user_service.service import sessions, throttling

logger = logging.getLogger(__name__)


def housekeeping_pass(
    sessionmaker: async_sessionmaker[AsyncSession], *, keep_attempts: timedelta
) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
        now = utcnow()
        async with sessionmaker() as session:
            attempts = await throttling.forget_old_attempts(
                session=session, older_than=now - keep_attempts
            )
            tokens = await sessions.forget_expired(session=session, before=now)
        if attempts or tokens:
            logger.info("forgot %d old attempts and %d expired refresh tokens", attempts, tokens)

    return run
