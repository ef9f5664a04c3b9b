"""User-service domain logic: plain functions over a session, no HTTP."""

import hmac
import logging
import math
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from service_kit.auth import Role
from service_kit.clock import utcnow
from service_kit.errors import (
    ConflictError,
    ForbiddenError,
    NotFoundError,
    TooManyRequestsError,
    UnauthorizedError,
)
from user_service.config import ConfiguredAccount, UserSettings
from user_service.models import LoginFailure, User
from user_service.passwords import PasswordHasher
from user_service.schemas import UserCreate, UserUpdate

logger = logging.getLogger(__name__)

INVALID_CREDENTIALS = "Incorrect email or password."


class EmailTakenError(ConflictError):
    slug = "email-taken"


class LoginLockedError(TooManyRequestsError):
    slug = "login-locked"


@dataclass(frozen=True)
class LoginPolicy:
    max_failures: int
    window: timedelta

    @classmethod
    def from_settings(cls, settings: UserSettings) -> "LoginPolicy":
        return cls(settings.login_max_failures, timedelta(minutes=settings.login_lockout_minutes))


async def register_user(
    *, session: AsyncSession, hasher: PasswordHasher, user_in: UserCreate, role: str = "user"
) -> User:
    user = User(
        email=user_in.email,
        full_name=user_in.full_name,
        password_hash=await hasher.hash(user_in.password),
        role=role,
    )
    session.add(user)
    try:
        await session.commit()
    except IntegrityError as exc:
        await session.rollback()
        raise EmailTakenError("An account with this email already exists.") from exc
    return user


async def get_user(*, session: AsyncSession, user_id: uuid.UUID) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFoundError(f"No user with id {user_id}.")
    return user


async def get_user_by_email(*, session: AsyncSession, email: str) -> User | None:
    result = await session.execute(select(User).where(User.email == email.lower()))
    return result.scalar_one_or_none()


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


async def update_profile(
    *, session: AsyncSession, hasher: PasswordHasher, user: User, update: UserUpdate
) -> User:
    if update.password is not None:
        current = update.current_password or ""
        if not await hasher.verify(current, user.password_hash):
            raise ForbiddenError("The current password is incorrect.")
        user.password_hash = await hasher.hash(update.password)
    if update.full_name is not None:
        user.full_name = update.full_name
    await session.commit()
    return user


def _contains_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, its `%`, `_` and `\\` taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def list_users(
    *,
    session: AsyncSession,
    email: str | None,
    role: str | None,
    limit: int,
    offset: int,
    search: str | None = None,
) -> tuple[list[User], int]:
    """A page of users, and how many match; `search` is a case-insensitive part of the email
    or full name (PostgreSQL ILIKE; SQLite folds ASCII letters only)."""
    query = select(User)
    if email is not None:
        query = query.where(User.email == email.strip().lower())
    if search is not None and search.strip():
        pattern = _contains_pattern(search.strip())
        query = query.where(
            or_(User.email.ilike(pattern, escape="\\"), User.full_name.ilike(pattern, escape="\\"))
        )
    if role is not None:
        query = query.where(User.role == role)
    total = (await session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
    page = await session.execute(
        query.order_by(User.created_at, User.id).limit(limit).offset(offset)
    )
    return list(page.scalars().all()), total


async def change_role(
    *, session: AsyncSession, actor_id: uuid.UUID | None, user_id: uuid.UUID, role: str
) -> User:
    user = await get_user(session=session, user_id=user_id)
    if user.id == actor_id and role != user.role:
        raise ConflictError("Admins cannot change their own role; ask another admin.")
    user.role = role
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


# A configured account is promoted to its role, never demoted (an organizer made admin stays).
_RANK = {Role.USER: 0, Role.ORGANIZER: 1, Role.ADMIN: 2}


async def ensure_account(
    *, session: AsyncSession, hasher: PasswordHasher, account: ConfiguredAccount
) -> None:
    """Create a configured account (the admin, say), or promote it if it exists.

    Safe on every replica at once. The password of an existing account is left alone.
    """
    email, role = account.email, account.role
    existing = await get_user_by_email(session=session, email=email)
    if existing is not None:
        if _RANK[Role(existing.role)] < _RANK[role]:
            existing.role = role.value
            await session.commit()
            logger.info("promoted the configured %s account", role.value)
        return
    user_in = UserCreate(email=email, password=account.password, full_name=account.full_name)
    try:
        await register_user(session=session, hasher=hasher, user_in=user_in, role=role.value)
        logger.info("created the configured %s account", role.value)
    except EmailTakenError:
        logger.info("the configured %s account was created by another replica", role.value)
