"""The inbox over HTTP: services store notifications, users read them."""

from typing import Annotated, Any

from bson import ObjectId
from fastapi import APIRouter, Path, Response, status

from notification_service import service
from notification_service.deps import (
    EmailWorkerDep,
    HubDep,
    PublisherPrincipal,
    SettingsDep,
    StoreDep,
    WordingDep,
    require_owner_or_admin,
)
from notification_service.models import notification_public
from notification_service.schemas import (
    EmailStatus,
    NotificationCreate,
    NotificationPublic,
    ReadAllResult,
)
from service_kit.auth import CurrentPrincipal
from service_kit.errors import PROBLEM_MEDIA_TYPE, Problem
from service_kit.fields import Email, PageLimit, PageOffset

router = APIRouter(prefix="/notifications", tags=["notifications"])

UserEmailPath = Annotated[Email, Path(max_length=320, description="The recipient's email.")]
NotificationIdPath = Annotated[
    str, Path(pattern=r"^[0-9a-f]{24}$", description="The notification's id (24 hex digits).")
]


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "model": Problem,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


NO_TOKEN = _problem("No valid bearer token")


@router.post(
    "",
    response_model=NotificationPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Store a notification and queue its email (services and admins)",
    description="Answers once the notification is stored; the email is sent in the background. "
    "`kind` decides the shape: `generic` carries the caller's `subject` and `body`; "
    "`booking_confirmed`, `booking_cancelled`, `booking_failed` and `event_updated` carry only "
    "facts in `data` (`BookingFacts`, `FailedBookingFacts`, `EventFacts`), and this service "
    "writes the subject, the in-app body and "
    "the email, with dates in the event's time zone. "
    "A repeat with a `dedupe_key` already used for this user returns the stored notification "
    "with 200 and sends nothing again.",
    responses={
        200: {"model": NotificationPublic, "description": "Already stored under this dedupe key"},
        401: NO_TOKEN,
        403: _problem("Only services and admins may store notifications"),
        413: _problem("The request body is larger than `MAX_REQUEST_BYTES`"),
        422: _problem("Invalid notification: `errors` lists the offending fields"),
    },
)
async def create_notification(
    notification_in: NotificationCreate,
    response: Response,
    _: PublisherPrincipal,
    store: StoreDep,
    settings: SettingsDep,
    wording: WordingDep,
    hub: HubDep,
    worker: EmailWorkerDep,
) -> NotificationPublic:
    stored = await service.create_notification(
        store=store,
        notification_in=notification_in,
        wording=wording,
        email_enabled=settings.email_enabled,
    )
    notification = notification_public(stored.document)
    if not stored.created:
        response.status_code = status.HTTP_200_OK
        return notification
    hub.publish(notification)
    if worker is not None and notification.email_status == EmailStatus.QUEUED:
        worker.wake()
    return notification


@router.get(
    "/{user_email}",
    response_model=list[NotificationPublic],
    summary="A user's notifications, newest first (the user and admins)",
    description="A JSON array; `X-Total-Count` counts the matching notifications and "
    "`X-Unread-Count` the user's unread ones.",
    responses={
        401: NO_TOKEN,
        403: _problem("Only the user (the token's email) or an admin may read them"),
        422: _problem("Invalid email or query parameter"),
    },
)
async def list_notifications(
    user_email: UserEmailPath,
    response: Response,
    principal: CurrentPrincipal,
    store: StoreDep,
    unread_only: bool = False,
    limit: PageLimit = 20,
    offset: PageOffset = 0,
) -> list[NotificationPublic]:
    require_owner_or_admin(principal, user_email)
    page = await service.list_notifications(
        store=store, user_email=user_email, unread_only=unread_only, limit=limit, offset=offset
    )
    response.headers["X-Total-Count"] = str(page.total)
    response.headers["X-Unread-Count"] = str(page.unread)
    return [notification_public(document) for document in page.documents]


@router.post(
    "/{notification_id}/read",
    response_model=NotificationPublic,
    summary="Mark one notification read (its recipient and admins)",
    responses={
        401: NO_TOKEN,
        403: _problem("Only its recipient or an admin may mark it read"),
        404: _problem("No notification has this id"),
        422: _problem("The id is not 24 hex digits"),
    },
)
async def mark_read(
    notification_id: NotificationIdPath, principal: CurrentPrincipal, store: StoreDep
) -> NotificationPublic:
    object_id = ObjectId(notification_id)
    document = await service.get_notification(store=store, notification_id=object_id)
    require_owner_or_admin(principal, document["user_email"])
    document = await service.mark_read(store=store, notification_id=object_id)
    return notification_public(document)


@router.post(
    "/{user_email}/read-all",
    response_model=ReadAllResult,
    summary="Mark all of a user's notifications read (the user and admins)",
    responses={
        401: NO_TOKEN,
        403: _problem("Only the user (the token's email) or an admin may mark them read"),
        422: _problem("Invalid email"),
    },
)
async def mark_all_read(
    user_email: UserEmailPath, principal: CurrentPrincipal, store: StoreDep
) -> ReadAllResult:
    require_owner_or_admin(principal, user_email)
    marked = await service.mark_all_read(store=store, user_email=user_email)
    return ReadAllResult(marked_read=marked)
