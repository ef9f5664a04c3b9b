from typing import Annotated

from fastapi import Depends

from event_service.models import EventStore
from service_kit.auth import Principal, Role, bearer_auth
from service_kit.deps import app_state

StoreDep = Annotated[EventStore, Depends(app_state("store"))]
OrganizerPrincipal = Annotated[
    Principal, Depends(bearer_auth.require_roles(Role.ORGANIZER, Role.ADMIN))
]
InventoryPrincipal = Annotated[
    Principal, Depends(bearer_auth.require_roles(Role.SERVICE, Role.ADMIN))
]
