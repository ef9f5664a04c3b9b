"""Profiles and user administration."""

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from service_kit.auth import Role
from service_kit.errors import ForbiddenError
from service_kit.fields import PageLimit, PageOffset
from service_kit.openapi import RETRY_AFTER
from user_service.deps import (
    AdminOrService,
    AdminPrincipal,
    CurrentPrincipal,
    CurrentUser,
    HasherDep,
    LimitsDep,
    ServicePrincipal,
    SessionDep,
)
from user_service.schemas import AccessState, RoleUpdate, UserPublic, UserUpdate
from user_service.service import accounts, administration

router = APIRouter(prefix="/users", tags=["users"])


@router.get("/me", response_model=UserPublic, summary="The signed-in user's profile")
async def read_me(user: CurrentUser) -> UserPublic:
    return UserPublic.model_validate(user)


@router.patch(
    "/me",
    response_model=UserPublic,
    summary="Update the signed-in user's name or password",
    description="A password change needs `current_password`; at most `PASSWORD_CHECK_LIMIT` "
    "wrong ones per account, then 429 with `Retry-After` (even for the right one) until the "
    "window passes. A password change revokes every refresh token of the account and outdates "
    "its access tokens (sign in again with the new password).",
    responses={
        403: {"description": "The current password is incorrect"},
        429: {
            "description": "Too many wrong current passwords; see `Retry-After`",
            "headers": RETRY_AFTER,
        },
    },
)
async def update_me(
    update: UserUpdate,
    user: CurrentUser,
    session: SessionDep,
    hasher: HasherDep,
    limits: LimitsDep,
) -> UserPublic:
    user = await accounts.update_profile(
        session=session,
        hasher=hasher,
        password_check=limits.password_check,
        user=user,
        update=update,
    )
    return UserPublic.model_validate(user)


@router.get(
    "",
    response_model=list[UserPublic],
    summary="List users (admins and services)",
    description=(
        "A JSON array, oldest account first; the number of matching users is in the "
        "`X-Total-Count` header. `q` finds people by part of their email or full name "
        "(case-insensitive; `%`, `_` and `\\` are plain characters, surrounding spaces are "
        "ignored); `email` matches the whole address. The filters combine: a user must match "
        "every one given."
    ),
)
async def list_users(
    response: Response,
    _: AdminOrService,
    session: SessionDep,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Part of the email or full name, case-insensitive, taken literally.",
        ),
    ] = None,
    email: Annotated[
        str | None, Query(max_length=320, description="The whole email address (any case).")
    ] = None,
    role: Literal["user", "organizer", "admin"] | None = None,
    limit: PageLimit = 20,
    offset: PageOffset = 0,
) -> list[UserPublic]:
    users, total = await administration.list_users(
        session=session, email=email, role=role, limit=limit, offset=offset, search=q
    )
    response.headers["X-Total-Count"] = str(total)
    return [UserPublic.model_validate(user) for user in users]


@router.get(
    "/{user_id}",
    response_model=UserPublic,
    summary="One user (the user themself, admins and services)",
    responses={
        403: {"description": "Users may only read their own profile"},
        404: {"description": "No user has this id"},
    },
)
async def read_user(
    user_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> UserPublic:
    privileged = principal.role in (Role.ADMIN, Role.SERVICE)
    if not privileged and principal.user_id != user_id:
        raise ForbiddenError("You may only read your own profile.")
    user = await accounts.get_user(session=session, user_id=user_id)
    return UserPublic.model_validate(user)


@router.get(
    "/{user_id}/access",
    response_model=AccessState,
    summary="Whether a person's tokens still hold (services)",
    description="The account's role and token version: an access token whose `ver` claim is "
    "lower was issued before a role or password change. For services that check `ver` where a "
    "stale role would matter (event-service, when events are created or changed).",
    responses={404: {"description": "No user has this id"}},
)
async def read_access_state(
    user_id: uuid.UUID, _: ServicePrincipal, session: SessionDep
) -> AccessState:
    user = await accounts.get_user(session=session, user_id=user_id)
    return AccessState(id=user.id, role=user.role, token_version=user.token_version)


@router.patch(
    "/{user_id}/role",
    response_model=UserPublic,
    summary="Change a user's role (admins)",
    description="Takes effect at once: the user's refresh tokens are revoked and their access "
    "tokens are refused where the role matters (signing in again gives the new role).",
    responses={
        404: {"description": "No user has this id"},
        409: {"description": "Admins cannot change their own role"},
    },
)
async def change_role(
    user_id: uuid.UUID, update: RoleUpdate, admin: AdminPrincipal, session: SessionDep
) -> UserPublic:
    user = await administration.change_role(
        session=session, actor_id=admin.user_id, user_id=user_id, role=update.role
    )
    return UserPublic.model_validate(user)
