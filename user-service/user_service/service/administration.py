"""Administration: finding users and changing their roles."""

import uuid

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from service_kit.errors import ConflictError
from service_kit.fields import normalize_email
from user_service.models import User
from user_service.service.accounts import get_user, invalidate_tokens


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
        query = query.where(User.email == normalize_email(email))
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
    if role != user.role:
        user.role = role
        await invalidate_tokens(session=session, user=user)
    await session.commit()
    return user
