"""The MongoDB document of a notification, its indexes, and its public shape.

Delivery state lives on the document itself: `email_status`, `email_attempts`, `last_error`,
`sent_at`, and for queued email `next_attempt_at` (when a worker may next claim it; while a
worker holds the claim it is the end of that lease) and `claim_token` (which claim may record
the outcome).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bson import ObjectId
from pydantic import BaseModel
from pymongo import ASCENDING, DESCENDING, AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection

from notification_service.schemas import EmailStatus, NotificationCreate, NotificationPublic
from notification_service.wording import Words

Document = dict[str, Any]
COLLECTION = "notifications"


@dataclass(frozen=True)
class NotificationStore:
    notifications: AsyncCollection[Document]

    @classmethod
    async def open(cls, client: AsyncMongoClient[Document], database: str) -> "NotificationStore":
        notifications = client[database][COLLECTION]
        await notifications.create_index(
            [("user_email", ASCENDING), ("dedupe_key", ASCENDING)],
            name="one_per_dedupe_key",
            unique=True,
            partialFilterExpression={"dedupe_key": {"$type": "string"}},
        )
        await notifications.create_index(
            [("user_email", ASCENDING), ("created_at", DESCENDING), ("_id", DESCENDING)],
            name="inbox",
        )
        await notifications.create_index(
            [("email_status", ASCENDING), ("next_attempt_at", ASCENDING)], name="due_email"
        )
        return cls(notifications=notifications)


def new_document(
    notification_in: NotificationCreate, *, words: Words, email_enabled: bool, now: datetime
) -> Document:
    """The document as stored: `data` holds the facts (or a generic notification's JSON),
    `subject` and `body` the words the inbox shows, written once when it is stored."""
    queued = email_enabled and notification_in.send_email
    data = notification_in.data
    document: Document = {
        "_id": ObjectId(),
        "user_email": notification_in.user_email,
        "kind": notification_in.kind,
        "subject": words.subject,
        "body": words.body,
        "data": (
            data.model_dump(mode="json", exclude_none=True) if isinstance(data, BaseModel) else data
        ),
        "read": False,
        "read_at": None,
        "email_status": (EmailStatus.QUEUED if queued else EmailStatus.DISABLED).value,
        "email_attempts": 0,
        "last_error": None,
        "created_at": now,
        "sent_at": None,
    }
    if notification_in.dedupe_key is not None:
        document["dedupe_key"] = notification_in.dedupe_key
    if queued:
        document["next_attempt_at"] = now
    return document


def notification_public(document: Document) -> NotificationPublic:
    return NotificationPublic(
        id=str(document["_id"]),
        user_email=document["user_email"],
        kind=document["kind"],
        subject=document["subject"],
        body=document["body"],
        data=document.get("data"),
        dedupe_key=document.get("dedupe_key"),
        read=document["read"],
        read_at=document.get("read_at"),
        email_status=document["email_status"],
        email_attempts=document["email_attempts"],
        last_error=document.get("last_error"),
        created_at=document["created_at"],
        sent_at=document.get("sent_at"),
    )
