from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.ext.asyncio import AsyncSession

from service_kit.auth import Principal, Role, build_auth_dependencies
from service_kit.deps import app_state
from service_kit.errors import ForbiddenError
from service_kit.openapi import answers
from user_service.config import UserSettings
from user_service.models import User
from user_service.passwords import PasswordHasher
from user_service.service import accounts
from user_service.service.limits import Limits
from user_service.service.throttling import client_key
from user_service.signing import SigningKey


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with request.app.state.sessionmaker() as session:
        yield session


def get_client_address(request: Request) -> str:
    """Who is calling, for per-address limits: the peer address, or the first hop's
    `X-Forwarded-For` when uvicorn trusts the proxy (`--forwarded-allow-ips`)."""
    return client_key(request.client.host if request.client else None)


SettingsDep = Annotated[UserSettings, Depends(app_state("settings"))]
SessionDep = Annotated[AsyncSession, Depends(get_session)]
HasherDep = Annotated[PasswordHasher, Depends(app_state("password_hasher"))]
SigningKeyDep = Annotated[SigningKey, Depends(app_state("signing_key"))]
LimitsDep = Annotated[Limits, Depends(app_state("limits"))]
ClientAddress = Annotated[str, Depends(get_client_address)]

# Swagger's "Authorize" signs in through POST /login with the OAuth2 password form.
auth = build_auth_dependencies(OAuth2PasswordBearer(tokenUrl="login", auto_error=False))
TokenPrincipal = Annotated[Principal, Depends(auth.current_principal)]


@answers(
    {
        401: {
            "description": "The account behind the token no longer exists, or its role or "
            "password changed since the token was issued (refresh it)"
        }
    }
)
async def get_current_principal(principal: TokenPrincipal, session: SessionDep) -> Principal:
    """The caller; a person's token must be as new as the account's last role or password
    change (user-service holds the account, so the check costs one primary-key read)."""
    if principal.role != Role.SERVICE:
        await accounts.current_account(session=session, principal=principal)
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_current_principal)]


def require_roles(*roles: Role) -> Callable[..., Awaitable[Principal]]:
    allowed = frozenset(roles)
    names = ", ".join(sorted(allowed))

    @answers({403: {"description": f"Only for the roles: {names}"}})
    async def principal_with_role(principal: CurrentPrincipal) -> Principal:
        if principal.role not in allowed:
            raise ForbiddenError(f"This operation requires one of the roles: {names}.")
        return principal

    return principal_with_role


AdminPrincipal = Annotated[Principal, Depends(require_roles(Role.ADMIN))]
AdminOrService = Annotated[Principal, Depends(require_roles(Role.ADMIN, Role.SERVICE))]
ServicePrincipal = Annotated[Principal, Depends(require_roles(Role.SERVICE))]


@answers({403: {"description": "Service tokens have no user profile"}})
async def get_current_user(principal: CurrentPrincipal, session: SessionDep) -> User:
    if principal.user_id is None:
        raise ForbiddenError("Service principals have no user profile.")
    # Loaded (and checked) by the principal's dependency: this read hits the session's cache.
    return await accounts.current_account(session=session, principal=principal)


CurrentUser = Annotated[User, Depends(get_current_user)]
