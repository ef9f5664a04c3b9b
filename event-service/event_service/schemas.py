import zoneinfo
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    field_validator,
    model_validator,
)

from service_kit.clock import to_milliseconds
from service_kit.fields import MAX_OFFSET, MAX_PAGE_SIZE, BoundedDatetime, CurrencyCode, two_places
from service_kit.text import SingleLine

MAX_TOTAL_TICKETS = 1_000_000
MAX_TICKET_DELTA = 1_000


class EventCategory(StrEnum):
    CONCERT = "concert"
    CONFERENCE = "conference"
    SPORTS = "sports"
    THEATRE = "theatre"
    WORKSHOP = "workshop"
    OTHER = "other"


class EventStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


def _known_timezone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"unknown time zone {value!r}; use an IANA name, e.g. Europe/Brussels"
        ) from exc
    return value


Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), SingleLine
]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
Venue = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), SingleLine
]
City = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), SingleLine
]
UtcDatetime = Annotated[BoundedDatetime, AfterValidator(to_milliseconds)]
TotalTickets = Annotated[int, Strict(), Field(ge=1, le=MAX_TOTAL_TICKETS)]
Price = Annotated[
    Decimal,
    Field(ge=0, max_digits=12, decimal_places=2, description="Two decimal places, e.g. `25.00`"),
    AfterValidator(two_places),
]
Timezone = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64),
    AfterValidator(_known_timezone),
    Field(
        description="IANA time zone of the venue, e.g. `Europe/Brussels`: how people there read "
        "`starts_at` (which is stored and returned in UTC)."
    ),
]
DEFAULT_TIMEZONE = "UTC"


class EventCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Title
    description: Description = ""
    venue: Venue
    city: City | None = None
    category: EventCategory = EventCategory.OTHER
    starts_at: UtcDatetime = Field(description="Timezone-aware ISO 8601; stored in UTC.")
    ends_at: UtcDatetime | None = None
    timezone: Timezone = DEFAULT_TIMEZONE
    total_tickets: TotalTickets
    price: Price = Decimal("0.00")
    currency: CurrencyCode = "EUR"

    @model_validator(mode="after")
    def ends_after_start(self) -> "EventCreate":
        if self.ends_at is not None and self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


class EventUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    description: Description | None = None
    venue: Venue | None = None
    city: City | None = None
    category: EventCategory | None = None
    starts_at: UtcDatetime | None = None
    ends_at: UtcDatetime | None = None
    timezone: Timezone | None = None
    total_tickets: TotalTickets | None = None
    price: Price | None = None
    currency: CurrencyCode | None = None

    @field_validator("timezone")
    @classmethod
    def timezone_not_removed(cls, value: str | None) -> str | None:
        # Absent means unchanged; an explicit null would leave the event without a zone.
        if value is None:
            raise ValueError("timezone cannot be removed; give an IANA name such as UTC")
        return value

    @model_validator(mode="after")
    def ends_after_start(self) -> "EventUpdate":
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


class EventPublic(BaseModel):
    id: str
    title: str
    description: str
    venue: str
    city: str | None
    category: EventCategory
    starts_at: datetime
    ends_at: datetime | None
    timezone: str = Field(description="IANA time zone of the venue; `UTC` when none was given.")
    total_tickets: int
    available_tickets: int
    price: Decimal
    currency: str
    organizer_id: str
    status: EventStatus
    created_at: datetime
    updated_at: datetime


class EventQuery(BaseModel):
    """Filters of GET /events; values are literal, never query operators."""

    model_config = ConfigDict(extra="forbid")

    q: str | None = Field(default=None, max_length=200, description="Words to search for.")
    category: EventCategory | None = None
    city: str | None = Field(default=None, max_length=100)
    starts_after: UtcDatetime | None = None
    starts_before: UtcDatetime | None = None
    available_only: bool = Field(default=False, description="Hide sold-out events.")
    organizer_id: str | None = Field(default=None, max_length=100)
    include_past: bool = Field(default=False, description="Include events already started.")
    status: EventStatus = EventStatus.SCHEDULED
    limit: int = Field(default=20, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET)

    def starts_after_bound(self, now: datetime) -> datetime | None:
        """The time listed events start after (exclusive): `starts_after`, and `now` unless
        `include_past`; None when neither applies."""
        bounds = [bound for bound in (self.starts_after,) if bound is not None]
        if not self.include_past:
            bounds.append(now)
        return max(bounds) if bounds else None


class TicketChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    delta: Annotated[int, Strict(), Field(ge=-MAX_TICKET_DELTA, le=MAX_TICKET_DELTA)] = Field(
        description="Negative reserves that many tickets, positive releases them."
    )
    reference: Annotated[
        str, StringConstraints(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9._:-]+$")
    ] = Field(description="Identifies the booking; replays with it apply once.")

    @model_validator(mode="after")
    def delta_not_zero(self) -> "TicketChange":
        if self.delta == 0:
            raise ValueError("delta must not be 0")
        return self
