from typing import Annotated

from fastapi import Depends

from notification_service.config import NotificationSettings
from notification_service.delivery import EmailWorker
from notification_service.models import NotificationStore
from notification_service.push.hub import NotificationHub
from notification_service.wording import Wording
from service_kit.auth import Principal, Role, bearer_auth
from service_kit.deps import app_state
from service_kit.errors import ForbiddenError
from service_kit.fields import normalize_email
from service_kit.mongo import mongo_store

StoreDep = Annotated[NotificationStore, Depends(mongo_store("store"))]
SettingsDep = Annotated[NotificationSettings, Depends(app_state("settings"))]
HubDep = Annotated[NotificationHub, Depends(app_state("hub"))]
WordingDep = Annotated[Wording, Depends(app_state("wording"))]
# This process's worker, or None when it runs in other replicas only.
EmailWorkerDep = Annotated[EmailWorker | None, Depends(app_state("email_worker"))]

PublisherPrincipal = Annotated[
    Principal, Depends(bearer_auth.require_roles(Role.SERVICE, Role.ADMIN))
]


def is_owner(principal: Principal, user_email: str) -> bool:
    return principal.email is not None and normalize_email(principal.email) == normalize_email(
        user_email
    )


def require_owner_or_admin(principal: Principal, user_email: str) -> None:
    if not (principal.is_admin or is_owner(principal, user_email)):
        raise ForbiddenError("Only the recipient or an admin may see these notifications.")
