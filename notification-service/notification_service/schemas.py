import zoneinfo
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    StringConstraints,
)
from pydantic_core import to_json

from service_kit.fields import BoundedDatetime, Email, two_places

MAX_DATA_BYTES = 4096
MAX_BODY_CHARS = 10_000
# Room for "Booking confirmed: " and an event title of up to 200 characters.
MAX_SUBJECT_CHARS = 300
DEFAULT_TIMEZONE = "UTC"


class NotificationKind(StrEnum):
    BOOKING_CONFIRMED = "booking_confirmed"
    BOOKING_CANCELLED = "booking_cancelled"
    BOOKING_FAILED = "booking_failed"
    EVENT_UPDATED = "event_updated"
    GENERIC = "generic"


class EmailStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"
    DISABLED = "disabled"


def _known_timezone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {value!r}; use an IANA name, e.g. Asia/Tokyo") from exc
    return value


def _small_json(value: dict[str, JsonValue]) -> dict[str, JsonValue]:
    if len(to_json(value)) > MAX_DATA_BYTES:
        raise ValueError(f"data must be at most {MAX_DATA_BYTES} bytes of JSON")
    return value


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
Amount = Annotated[
    Decimal,
    Field(ge=0, max_digits=14, decimal_places=2, description="Two decimal places, e.g. `45.00`."),
    AfterValidator(two_places),
]
# A copy of the event's currency, which event-service checks against ISO 4217 where it enters
# the platform; the shape only is checked here, so the notices of an event made before that
# check are never refused (a refused notice is never retried).
Currency = Annotated[
    str, StringConstraints(pattern=r"^[A-Z]{3}$"), Field(description="ISO 4217 code, e.g. EUR.")
]
GenericData = Annotated[
    dict[str, JsonValue],
    AfterValidator(_small_json),
    Field(description=f"Any JSON object up to {MAX_DATA_BYTES} bytes, kept as given."),
]


class BookedItem(BaseModel):
    """Tickets of one type in a booking, as booked."""

    model_config = ConfigDict(extra="forbid")

    name: ShortText
    quantity: int = Field(ge=1, le=100_000)
    unit_price: Amount


class BookingFacts(BaseModel):
    """What happened to a booking, as facts: notification-service writes the words."""

    model_config = ConfigDict(extra="forbid")

    booking_id: ShortText = Field(description="The booking reference.")
    event_id: ShortText
    event_title: ShortText
    starts_at: BoundedDatetime = Field(description="ISO 8601 with an offset (any).")
    timezone: Timezone = Field(
        default=DEFAULT_TIMEZONE, description="The event's IANA time zone: dates are shown in it."
    )
    venue: ShortText | None = Field(
        default=None, description="Absent only for bookings made before venues were recorded."
    )
    city: ShortText | None = None
    tickets: int = Field(ge=1, le=100_000)
    unit_price: Amount | None = Field(
        default=None, description="The price of every ticket; absent when the types differ."
    )
    total_price: Amount
    currency: Currency
    items: list[BookedItem] | None = Field(
        default=None, max_length=20, description="Per ticket type, when a booking has several."
    )


class FailedBookingFacts(BaseModel):
    """A booking that could not be completed and holds nothing: what it asked for.

    It was never confirmed, so there is no price; `event_title` when it is known.
    """

    model_config = ConfigDict(extra="forbid")

    booking_id: ShortText = Field(description="The booking reference.")
    event_id: ShortText
    event_title: ShortText | None = None
    tickets: int = Field(ge=1, le=100_000)


class EventFacts(BaseModel):
    """What an event is now, after it changed; `booking_id` when the notice is about one."""

    model_config = ConfigDict(extra="forbid")

    event_id: ShortText
    event_title: ShortText
    starts_at: BoundedDatetime = Field(description="ISO 8601 with an offset (any).")
    timezone: Timezone = Field(
        default=DEFAULT_TIMEZONE, description="The event's IANA time zone: dates are shown in it."
    )
    venue: ShortText | None = None
    city: ShortText | None = None
    booking_id: ShortText | None = None


class _NotificationCreateBase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_email: Email
    dedupe_key: DedupeKey | None = Field(
        default=None, description="A repeat with the same key for the same user changes nothing."
    )
    send_email: bool = True


class GenericNotificationCreate(_NotificationCreateBase):
    """A notification in the caller's own words."""

    kind: Literal["generic"]
    subject: Subject
    body: Body = Field(description="Plain text.")
    data: GenericData | None = None


class BookingConfirmedNotificationCreate(_NotificationCreateBase):
    """A booking was confirmed; subject and body come from notification-service's templates."""

    kind: Literal["booking_confirmed"]
    data: BookingFacts


class BookingCancelledNotificationCreate(_NotificationCreateBase):
    """A booking was cancelled; subject and body come from notification-service's templates."""

    kind: Literal["booking_cancelled"]
    data: BookingFacts


class BookingFailedNotificationCreate(_NotificationCreateBase):
    """A booking could not be completed (and holds no tickets); the words are this service's."""

    kind: Literal["booking_failed"]
    data: FailedBookingFacts


class EventUpdatedNotificationCreate(_NotificationCreateBase):
    """An event changed; subject and body come from notification-service's templates."""

    kind: Literal["event_updated"]
    data: EventFacts


FactsNotificationCreate = (
    BookingConfirmedNotificationCreate
    | BookingCancelledNotificationCreate
    | BookingFailedNotificationCreate
    | EventUpdatedNotificationCreate
)
# The body of POST /notifications, told apart by `kind`. Validate a payload with
# `TypeAdapter(NotificationCreate).validate_python(payload)`.
NotificationCreate = Annotated[
    GenericNotificationCreate | FactsNotificationCreate, Field(discriminator="kind")
]


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
