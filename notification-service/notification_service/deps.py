from typing import Annotated

from fastapi import Depends, Request

from notification_service.config import NotificationSettings
from notification_service.delivery import EmailWorker
from notification_service.models import NotificationStore
from notification_service.push.hub import NotificationHub
from service_kit.auth import Principal, Role, bearer_auth
from service_kit.errors import ForbiddenError


def get_store(request: Request) -> NotificationStore:
    store: NotificationStore = request.app.state.store
    return store


def get_settings(request: Request) -> NotificationSettings:
    settings: NotificationSettings = request.app.state.settings
    return settings


def get_hub(request: Request) -> NotificationHub:
    hub: NotificationHub = request.app.state.hub
    return hub


def get_email_worker(request: Request) -> EmailWorker | None:
    """This process's worker, or None when it runs in other replicas only."""
    worker: EmailWorker | None = request.app.state.email_worker
    return worker


StoreDep = Annotated[NotificationStore, Depends(get_store)]
SettingsDep = Annotated[NotificationSettings, Depends(get_settings)]
HubDep = Annotated[NotificationHub, Depends(get_hub)]
EmailWorkerDep = Annotated[EmailWorker | None, Depends(get_email_worker)]

CurrentPrincipal = Annotated[Principal, Depends(bearer_auth.current_principal)]
PublisherPrincipal = Annotated[
    Principal, Depends(bearer_auth.require_roles(Role.SERVICE, Role.ADMIN))
]


def is_owner(principal: Principal, user_email: str) -> bool:
    return principal.email is not None and principal.email.lower() == user_email.lower()


def require_owner_or_admin(principal: Principal, user_email: str) -> None:
    if not (principal.is_admin or is_owner(principal, user_email)):
        raise ForbiddenError("Only the recipient or an admin may see these notifications.")
