import json
import zoneinfo
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    model_validator,
)

MAX_DATA_BYTES = 4096
MAX_BODY_CHARS = 10_000
# Room for "Booking confirmed: " and an event title of up to 200 characters.
MAX_SUBJECT_CHARS = 300


class NotificationKind(StrEnum):
    BOOKING_CONFIRMED = "booking_confirmed"
    BOOKING_CANCELLED = "booking_cancelled"
    EVENT_UPDATED = "event_updated"
    GENERIC = "generic"


class EmailStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"
    DISABLED = "disabled"


def _lower(value: str) -> str:
    return value.lower()


def _known_timezone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {value!r}; use an IANA name, e.g. Asia/Tokyo") from exc
    return value


Email = Annotated[EmailStr, AfterValidator(_lower)]
# One header line: a CR or LF would let a caller inject email headers.
Subject = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=MAX_SUBJECT_CHARS, pattern=r"^[^\r\n]*$"
    ),
]
Body = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_BODY_CHARS)
]
DedupeKey = Annotated[
    str,
    StringConstraints(min_length=1, max_length=200, pattern=r"^[\x21-\x7e]+$"),
    Field(description="Printable ASCII without spaces, e.g. `booking:<id>:confirmed`."),
]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Timezone = Annotated[str, StringConstraints(max_length=64), AfterValidator(_known_timezone)]


class NotificationData(BaseModel):
    """Small JSON about what happened. The booking fields shape the email; others pass through."""

    model_config = ConfigDict(extra="allow")

    booking_id: ShortText | None = None
    event_id: ShortText | None = None
    event_title: ShortText | None = None
    starts_at: datetime | None = Field(
        default=None, description="ISO 8601 with offset, or local time with `timezone`."
    )
    timezone: Timezone | None = Field(default=None, description="The event's IANA time zone.")
    venue: ShortText | None = None
    city: ShortText | None = None
    tickets: int | None = Field(default=None, ge=1, le=100_000)
    total_price: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None

    @model_validator(mode="after")
    def check_shape(self) -> "NotificationData":
        if self.starts_at is not None and self.starts_at.tzinfo is None and self.timezone is None:
            raise ValueError("starts_at without an offset needs `timezone`")
        if len(json.dumps(self.model_dump(mode="json")).encode()) > MAX_DATA_BYTES:
            raise ValueError(f"data must be at most {MAX_DATA_BYTES} bytes of JSON")
        return self


class NotificationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_email: Email
    kind: NotificationKind
    subject: Subject
    body: Body = Field(description="Plain text.")
    data: NotificationData | None = None
    dedupe_key: DedupeKey | None = Field(
        default=None, description="A repeat with the same key for the same user changes nothing."
    )
    send_email: bool = True


class NotificationPublic(BaseModel):
    id: str
    user_email: str
    kind: NotificationKind
    subject: str
    body: str
    data: dict[str, Any] | None
    dedupe_key: str | None
    read: bool
    read_at: datetime | None
    email_status: EmailStatus
    email_attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None


class ReadAllResult(BaseModel):
    marked_read: int = Field(description="How many notifications were unread before.")


class LiveMessage(BaseModel):
    """A WebSocket message: the subscription's start, a new notification, or a heartbeat."""

    type: Literal["subscribed", "notification", "heartbeat"]
    at: datetime
    user_email: str | None = None
    notification: NotificationPublic | None = None
