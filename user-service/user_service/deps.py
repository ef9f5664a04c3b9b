from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.ext.asyncio import AsyncSession

from service_kit.auth import Principal, Role, build_auth_dependencies
from service_kit.deps import app_state
from service_kit.errors import ForbiddenError, UnauthorizedError
from service_kit.openapi import answers
from user_service.config import UserSettings
from user_service.models import User
from user_service.passwords import PasswordHasher
from user_service.service.signing_in import LoginPolicy
from user_service.signing import SigningKey


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with request.app.state.sessionmaker() as session:
        yield session


SettingsDep = Annotated[UserSettings, Depends(app_state("settings"))]


def get_login_policy(settings: SettingsDep) -> LoginPolicy:
    return LoginPolicy.from_settings(settings)


SessionDep = Annotated[AsyncSession, Depends(get_session)]
HasherDep = Annotated[PasswordHasher, Depends(app_state("password_hasher"))]
SigningKeyDep = Annotated[SigningKey, Depends(app_state("signing_key"))]
LoginPolicyDep = Annotated[LoginPolicy, Depends(get_login_policy)]

# Swagger's "Authorize" signs in through POST /login with the OAuth2 password form.
auth = build_auth_dependencies(OAuth2PasswordBearer(tokenUrl="login", auto_error=False))
CurrentPrincipal = Annotated[Principal, Depends(auth.current_principal)]
AdminPrincipal = Annotated[Principal, Depends(auth.require_roles(Role.ADMIN))]
AdminOrService = Annotated[Principal, Depends(auth.require_roles(Role.ADMIN, Role.SERVICE))]


@answers(
    {
        401: {"description": "The account behind the token no longer exists"},
        403: {"description": "Service tokens have no user profile"},
    }
)
async def get_current_user(principal: CurrentPrincipal, session: SessionDep) -> User:
    user_id = principal.user_id
    if user_id is None:
        raise ForbiddenError("Service principals have no user profile.")
    user = await session.get(User, user_id)
    if user is None:
        raise UnauthorizedError("The account behind this token no longer exists.")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]
