"""Rate limits counted in the database, so every replica sees the same count.

One row per counted attempt in `attempts` (scope, key, time): a sliding window, exact, with the
wait until the oldest counted attempt leaves the window as `Retry-After`. A refused attempt is
not counted, so a flood adds no rows past the limit. The check and the count are not one
transaction: a burst of concurrent requests may pass the limit by the number in flight.

No maintained library fits: the usual ones (`limits`, slowapi) count in memory, Redis,
Memcached or MongoDB, and user-service's only store is SQL.
"""

import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from service_kit.clock import utcnow
from service_kit.errors import TooManyRequestsError
from user_service.models import Attempt
from user_service.rate_limit import RateLimit

# How much of an IPv6 address one client is taken to have (a home or office gets a /64).
IPV6_CLIENT_PREFIX = 64


class RateLimitedError(TooManyRequestsError):
    slug = "rate-limited"


@dataclass(frozen=True)
class Throttle:
    """A limit on one kind of attempt (`scope`), counted per key (an address, an account)."""

    scope: str
    limit: RateLimit
    message: str
    error: type[TooManyRequestsError] = RateLimitedError

    async def check(self, *, session: AsyncSession, key: str) -> None:
        """Raise `error` with `Retry-After` when `key` has used up its attempts."""
        window_start = utcnow() - self.limit.window
        recent = (
            (
                await session.execute(
                    select(Attempt.attempted_at)
                    .where(
                        Attempt.scope == self.scope,
                        Attempt.key == key,
                        Attempt.attempted_at > window_start,
                    )
                    .order_by(Attempt.attempted_at.desc())
                    .limit(self.limit.max_attempts)
                )
            )
            .scalars()
            .all()
        )
        if len(recent) < self.limit.max_attempts:
            return
        # Free again when the oldest of the last `max_attempts` attempts leaves the window.
        retry_after = _seconds_until(recent[-1] + self.limit.window)
        raise self.error(self.message, headers={"Retry-After": str(retry_after)})

    async def record(self, *, session: AsyncSession, key: str) -> None:
        """Count one attempt (committed at once, whatever the caller does next)."""
        session.add(Attempt(scope=self.scope, key=key, attempted_at=utcnow()))
        await session.commit()

    async def clear(self, *, session: AsyncSession, key: str) -> None:
        await session.execute(
            delete(Attempt).where(Attempt.scope == self.scope, Attempt.key == key)
        )
        await session.commit()


def _seconds_until(moment: datetime) -> int:
    return max(1, math.ceil((moment - utcnow()).total_seconds()))


def client_key(host: str | None) -> str:
    """The key of a client address: the address itself, or its /64 for IPv6."""
    if not host:
        return "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host[:320]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, IPV6_CLIENT_PREFIX), strict=False))
    return str(address)


async def forget_old_attempts(*, session: AsyncSession, older_than: datetime) -> int:
    """Delete attempts no limit still counts; the number deleted."""
    result = await session.execute(delete(Attempt).where(Attempt.attempted_at < older_than))
    await session.commit()
    return int(getattr(result, "rowcount", 0) or 0)
