"""The inbox: storing notifications once per dedupe key, listing them, marking them read."""

from dataclasses import dataclass

from bson import ObjectId
from pymongo import DESCENDING, ReturnDocument
from pymongo.errors import DuplicateKeyError

from notification_service.models import Document, NotificationStore, new_document
from notification_service.schemas import GenericNotificationCreate, NotificationCreate
from notification_service.wording import Wording, Words
from service_kit.clock import utcnow_ms
from service_kit.errors import NotFoundError


@dataclass(frozen=True)
class Stored:
    document: Document
    created: bool


@dataclass(frozen=True)
class InboxPage:
    documents: list[Document]
    total: int
    unread: int


def words_of(notification_in: NotificationCreate, wording: Wording) -> Words:
    """The caller's words for a generic notification; this service's for the others."""
    if isinstance(notification_in, GenericNotificationCreate):
        return Words(subject=notification_in.subject, body=notification_in.body)
    facts = notification_in.data.model_dump(mode="json")
    return wording.words(notification_in.kind, facts)


async def create_notification(
    *,
    store: NotificationStore,
    notification_in: NotificationCreate,
    wording: Wording,
    email_enabled: bool,
) -> Stored:
    """Store a notification; with a dedupe key already used for this user, return that one.

    The unique index decides between concurrent identical requests: exactly one insert wins.
    """
    document = new_document(
        notification_in,
        words=words_of(notification_in, wording),
        email_enabled=email_enabled,
        now=utcnow_ms(),
    )
    try:
        await store.notifications.insert_one(document)
    except DuplicateKeyError:
        existing = await store.notifications.find_one(
            {"user_email": document["user_email"], "dedupe_key": document["dedupe_key"]}
        )
        if existing is None:  # deleted in between; nothing else removes notifications
            raise
        return Stored(document=existing, created=False)
    return Stored(document=document, created=True)


async def list_notifications(
    *, store: NotificationStore, user_email: str, unread_only: bool, limit: int, offset: int
) -> InboxPage:
    """Newest first; the totals count all of the user's notifications (or unread ones)."""
    mine = {"user_email": user_email}
    query = {**mine, "read": False} if unread_only else mine
    cursor = (
        store.notifications.find(query)
        .sort([("created_at", DESCENDING), ("_id", DESCENDING)])
        .skip(offset)
        .limit(limit)
    )
    documents = await cursor.to_list()
    total = await store.notifications.count_documents(query)
    unread = (
        total if unread_only else await store.notifications.count_documents({**mine, "read": False})
    )
    return InboxPage(documents=documents, total=total, unread=unread)


async def get_notification(*, store: NotificationStore, notification_id: ObjectId) -> Document:
    document = await store.notifications.find_one({"_id": notification_id})
    if document is None:
        raise NotFoundError("No notification has this id.")
    return document


async def mark_read(*, store: NotificationStore, notification_id: ObjectId) -> Document:
    """Idempotent: the first read time is kept."""
    document = await store.notifications.find_one_and_update(
        {"_id": notification_id, "read": False},
        {"$set": {"read": True, "read_at": utcnow_ms()}},
        return_document=ReturnDocument.AFTER,
    )
    return document or await get_notification(store=store, notification_id=notification_id)


async def mark_all_read(*, store: NotificationStore, user_email: str) -> int:
    result = await store.notifications.update_many(
        {"user_email": user_email, "read": False}, {"$set": {"read": True, "read_at": utcnow_ms()}}
    )
    return result.modified_count
