from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends

from event_service.clients.users import AccessStates
from event_service.models import Document, EventStore
from event_service.service import catalogue
from event_service.service.directory import Directory
from event_service.service.listings import RecentListings
from service_kit.auth import CurrentPrincipal, Principal, Role
from service_kit.deps import app_state
from service_kit.errors import ForbiddenError, UnauthorizedError
from service_kit.mongo import mongo_store
from service_kit.openapi import RETRY_AFTER, answers

StoreDep = Annotated[EventStore, Depends(mongo_store("store"))]
AccessStatesDep = Annotated[AccessStates, Depends(app_state("access_states"))]
ListingsDep = Annotated[RecentListings, Depends(app_state("listings"))]
DirectoryDep = Annotated[Directory | None, Depends(app_state("directory"))]


class TokenOutdatedError(UnauthorizedError):
    slug = "token-outdated"


async def _check_current(principal: Principal, states: AccessStates) -> None:
    """A person's token must be as new as the account's last role or password change."""
    if principal.role == Role.SERVICE:
        return
    user_id = principal.user_id
    version = principal.claims.get("ver", 0)
    if user_id is None or not isinstance(version, int):
        raise UnauthorizedError("The access token does not name an account.")
    state = await states.get(user_id, newer_than=version)
    if state is None:
        raise UnauthorizedError("The account behind this token no longer exists.")
    if state.token_version != version:
        raise TokenOutdatedError(
            "This access token predates a change to the account (its role or password); "
            "refresh it or sign in again."
        )


CURRENT_TOKEN_ANSWERS: dict[int, dict[str, Any]] = {
    401: {
        "description": "The access token is invalid or expired, or predates a change of the "
        "account's role or password (refresh it)"
    },
    503: {
        "description": "user-service, which says whether the token is still current, cannot "
        "be reached",
        "headers": RETRY_AFTER,
    },
}


@answers(CURRENT_TOKEN_ANSWERS)
async def current_person_checked(principal: CurrentPrincipal, states: AccessStatesDep) -> Principal:
    await _check_current(principal, states)
    return principal


def require_current_roles(*roles: Role) -> Callable[..., Awaitable[Principal]]:
    """The caller, with one of `roles` (checked first, for free) and a current token."""
    allowed = frozenset(roles)
    names = ", ".join(sorted(allowed))

    @answers({403: {"description": f"Only for the roles: {names}"}, **CURRENT_TOKEN_ANSWERS})
    async def principal_with_current_role(
        principal: CurrentPrincipal, states: AccessStatesDep
    ) -> Principal:
        if principal.role not in allowed:
            raise ForbiddenError(f"This operation requires one of the roles: {names}.")
        await _check_current(principal, states)
        return principal

    return principal_with_current_role


# Writes where a stale role would matter: the token's version is checked at user-service.
CurrentPerson = Annotated[Principal, Depends(current_person_checked)]
OrganizerPrincipal = Annotated[
    Principal, Depends(require_current_roles(Role.ORGANIZER, Role.ADMIN))
]
InventoryPrincipal = Annotated[Principal, Depends(require_current_roles(Role.SERVICE, Role.ADMIN))]


@answers(
    {
        403: {"description": "Only the event's organizer or an admin may manage it"},
        404: {"description": "No event has this id"},
    }
)
async def _owned_event(event_id: str, principal: CurrentPerson, store: StoreDep) -> Document:
    document = await catalogue.get_event(store=store, event_id=event_id)
    catalogue.authorize_owner(document, principal)
    return document


# The event named by the path, loaded and authorized: 404 unknown, 403 not the caller's.
OwnedEvent = Annotated[Document, Depends(_owned_event)]
