"""Signing in: people by email and password (with the lockout), services by client credentials."""

import hmac
import math
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from service_kit.clock import utcnow
from service_kit.errors import TooManyRequestsError, UnauthorizedError
from user_service.config import UserSettings
from user_service.models import LoginFailure, User
from user_service.passwords import PasswordHasher
from user_service.service.accounts import get_user_by_email

INVALID_CREDENTIALS = "Incorrect email or password."


class LoginLockedError(TooManyRequestsError):
    slug = "login-locked"


@dataclass(frozen=True)
class LoginPolicy:
    max_failures: int
    window: timedelta

    @classmethod
    def from_settings(cls, settings: UserSettings) -> "LoginPolicy":
        return cls(settings.login_max_failures, timedelta(minutes=settings.login_lockout_minutes))


async def _raise_if_locked(*, session: AsyncSession, email: str, policy: LoginPolicy) -> None:
    window_start = utcnow() - policy.window
    recent = (
        (
            await session.execute(
                select(LoginFailure.failed_at)
                .where(LoginFailure.email == email, LoginFailure.failed_at > window_start)
                .order_by(LoginFailure.failed_at.desc())
                .limit(policy.max_failures)
            )
        )
        .scalars()
        .all()
    )
    if len(recent) < policy.max_failures:
        return
    # Locked until the oldest of the last `max_failures` failures leaves the window.
    unlocks_at = recent[-1] + policy.window
    retry_after = max(1, math.ceil((unlocks_at - utcnow()).total_seconds()))
    raise LoginLockedError(
        "Too many failed sign-in attempts for this account; try again later.",
        headers={"Retry-After": str(retry_after)},
    )


async def _record_failure(*, session: AsyncSession, email: str, policy: LoginPolicy) -> None:
    await session.execute(
        delete(LoginFailure).where(
            LoginFailure.email == email, LoginFailure.failed_at <= utcnow() - policy.window
        )
    )
    session.add(LoginFailure(email=email))
    await session.commit()


async def authenticate(
    *,
    session: AsyncSession,
    hasher: PasswordHasher,
    policy: LoginPolicy,
    email: str,
    password: str,
) -> User:
    email = email.strip().lower()
    await _raise_if_locked(session=session, email=email, policy=policy)
    user = await get_user_by_email(session=session, email=email)
    password_ok = await hasher.verify(password, user.password_hash if user else None)
    if user is None or not password_ok:
        await _record_failure(session=session, email=email, policy=policy)
        raise UnauthorizedError(INVALID_CREDENTIALS)
    await session.execute(delete(LoginFailure).where(LoginFailure.email == email))
    await session.commit()
    return user


def verify_client_credentials(
    *, settings: UserSettings, client_id: str, client_secret: str
) -> bool:
    expected = settings.service_clients.get(client_id)
    # Compare against something even for an unknown client, so timing reveals nothing.
    expected_secret = expected.get_secret_value() if expected else "\0" * 32
    matches = hmac.compare_digest(expected_secret.encode(), client_secret.encode())
    return matches and expected is not None
