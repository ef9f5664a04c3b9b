"""Sign-in sessions: rotating refresh tokens, and revoking them.

A refresh token is 256 random bits, given to the client once and stored as its SHA-256 only.
Each is used once: refreshing marks it used and issues its successor in the same family (one
family per sign-in). A used token presented again means two parties hold it (a stolen copy, or a
client that lost an answer): the whole family is revoked, and both must sign in again.
"""

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from service_kit.clock import utcnow
from service_kit.errors import UnauthorizedError
from user_service.models import RefreshToken, User

REFRESH_TOKEN_BYTES = 32


class RefreshRefusedError(UnauthorizedError):
    slug = "refresh-refused"


REFUSED = "The refresh token is unknown, expired, used or revoked; sign in again."


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def _issue(
    *, session: AsyncSession, user_id: uuid.UUID, family_id: uuid.UUID, lifetime: timedelta
) -> str:
    token = secrets.token_urlsafe(REFRESH_TOKEN_BYTES)
    now = utcnow()
    session.add(
        RefreshToken(
            token_hash=_digest(token),
            family_id=family_id,
            user_id=user_id,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    return token


async def start_session(*, session: AsyncSession, user: User, lifetime: timedelta) -> str:
    """A new family's first refresh token, committed."""
    token = await _issue(
        session=session, user_id=user.id, family_id=uuid.uuid4(), lifetime=lifetime
    )
    await session.commit()
    return token


async def _revoke_family(session: AsyncSession, family_id: uuid.UUID) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    await session.commit()


async def rotate(*, session: AsyncSession, token: str, lifetime: timedelta) -> tuple[User, str]:
    """Use `token` once: its user and the successor token; `RefreshRefusedError` otherwise."""
    found = (
        await session.execute(select(RefreshToken).where(RefreshToken.token_hash == _digest(token)))
    ).scalar_one_or_none()
    now = utcnow()
    if found is None or found.revoked_at is not None or found.expires_at <= now:
        raise RefreshRefusedError(REFUSED)
    family_id, user_id = found.family_id, found.user_id
    # Claimed by one conditional update, so two requests racing with one token cannot both win.
    claimed = await session.execute(
        update(RefreshToken)
        .where(RefreshToken.id == found.id, RefreshToken.used_at.is_(None))
        .values(used_at=now)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        await session.rollback()
        await _revoke_family(session, family_id)
        raise RefreshRefusedError(
            "This refresh token was used before, so every token of its sign-in is now revoked; "
            "sign in again."
        )
    user = await session.get(User, user_id)
    if user is None:
        await session.rollback()
        raise RefreshRefusedError(REFUSED)
    successor = await _issue(
        session=session, user_id=user.id, family_id=family_id, lifetime=lifetime
    )
    await session.commit()
    return user, successor


async def end_session(*, session: AsyncSession, token: str) -> None:
    """Log out: revoke the family of `token` (nothing happens for an unknown token)."""
    family_id = (
        await session.execute(
            select(RefreshToken.family_id).where(RefreshToken.token_hash == _digest(token))
        )
    ).scalar_one_or_none()
    if family_id is not None:
        await _revoke_family(session, family_id)


async def revoke_all(*, session: AsyncSession, user_id: uuid.UUID) -> None:
    """Revoke every refresh token of the user (in the caller's transaction, not committed)."""
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


async def forget_expired(*, session: AsyncSession, before: datetime) -> int:
    """Delete tokens expired before `before` (used, revoked or not); the number deleted."""
    result = await session.execute(
        delete(RefreshToken).where(
            or_(RefreshToken.expires_at < before, RefreshToken.revoked_at < before)
        )
    )
    await session.commit()
    return int(getattr(result, "rowcount", 0) or 0)
