"""Accounts: registering, reading and changing one's profile, and the configured accounts."""

import logging
import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from service_kit.auth import Principal, Role
from service_kit.errors import ConflictError, ForbiddenError, NotFoundError, UnauthorizedError
from service_kit.fields import normalize_email
from user_service.config import ConfiguredAccount
from user_service.models import User
from user_service.passwords import PasswordHasher
from user_service.schemas import UserCreate, UserUpdate
from user_service.service import sessions
from user_service.service.throttling import Throttle

logger = logging.getLogger(__name__)


class EmailTakenError(ConflictError):
    slug = "email-taken"


class TokenOutdatedError(UnauthorizedError):
    slug = "token-outdated"


def token_version(principal: Principal) -> int:
    """The account version a person's token was issued at (`ver`; tokens without it: 0)."""
    version = principal.claims.get("ver", 0)
    return version if isinstance(version, int) else -1


async def current_account(*, session: AsyncSession, principal: Principal) -> User:
    """The account behind a person's token, refused when its role or password changed since."""
    user = await session.get(User, principal.user_id) if principal.user_id else None
    if user is None:
        raise UnauthorizedError("The account behind this token no longer exists.")
    if token_version(principal) != user.token_version:
        raise TokenOutdatedError(
            "This access token predates a change to the account (its role or password); "
            "refresh it or sign in again."
        )
    return user


async def invalidate_tokens(*, session: AsyncSession, user: User) -> None:
    """After a role or password change: older access tokens are outdated where it matters, and
    every refresh token is revoked (in the caller's transaction)."""
    user.token_version += 1
    await sessions.revoke_all(session=session, user_id=user.id)


async def register_user(
    *, session: AsyncSession, hasher: PasswordHasher, user_in: UserCreate, role: Role = Role.USER
) -> User:
    user = User(
        email=user_in.email,
        full_name=user_in.full_name,
        password_hash=await hasher.hash(user_in.password),
        role=role.value,
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
    result = await session.execute(select(User).where(User.email == normalize_email(email)))
    return result.scalar_one_or_none()


async def update_profile(
    *,
    session: AsyncSession,
    hasher: PasswordHasher,
    password_check: Throttle,
    user: User,
    update: UserUpdate,
) -> User:
    if update.password is not None:
        key = str(user.id)
        await password_check.check(session=session, key=key)
        current = update.current_password or ""
        if not await hasher.verify(current, user.password_hash):
            await password_check.record(session=session, key=key)
            raise ForbiddenError("The current password is incorrect.")
        await password_check.clear(session=session, key=key)
        user.password_hash = await hasher.hash(update.password)
        await invalidate_tokens(session=session, user=user)
    if update.full_name is not None:
        user.full_name = update.full_name
    await session.commit()
    return user


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
            await invalidate_tokens(session=session, user=existing)
            await session.commit()
            logger.info("promoted the configured %s account", role.value)
        return
    user_in = UserCreate(email=email, password=account.password, full_name=account.full_name)
    try:
        await register_user(session=session, hasher=hasher, user_in=user_in, role=role)
        logger.info("created the configured %s account", role.value)
    except EmailTakenError:
        logger.info("the configured %s account was created by another replica", role.value)
