"""Accounts: registering, reading and changing one's profile, and the configured accounts."""

import logging
import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from service_kit.auth import Role
from service_kit.errors import ConflictError, ForbiddenError, NotFoundError
from user_service.config import ConfiguredAccount
from user_service.models import User
from user_service.passwords import PasswordHasher
from user_service.schemas import UserCreate, UserUpdate

logger = logging.getLogger(__name__)


class EmailTakenError(ConflictError):
    slug = "email-taken"


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
    result = await session.execute(select(User).where(User.email == email.lower()))
    return result.scalar_one_or_none()


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
        await register_user(session=session, hasher=hasher, user_in=user_in, role=role)
        logger.info("created the configured %s account", role.value)
    except EmailTakenError:
        logger.info("the configured %s account was created by another replica", role.value)
