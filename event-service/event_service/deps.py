from typing import Annotated

from fastapi import Depends, Request

from event_service.models import EventStore
from service_kit.auth import Principal, Role, bearer_auth


def get_store(request: Request) -> EventStore:
    store: EventStore = request.app.state.store
    return store


StoreDep = Annotated[EventStore, Depends(get_store)]
CurrentPrincipal = Annotated[Principal, Depends(bearer_auth.current_principal)]
OrganizerPrincipal = Annotated[
    Principal, Depends(bearer_auth.require_roles(Role.ORGANIZER, Role.ADMIN))
]
InventoryPrincipal = Annotated[
    Principal, Depends(bearer_auth.require_roles(Role.SERVICE, Role.ADMIN))
]
