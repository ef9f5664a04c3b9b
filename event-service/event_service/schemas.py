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
MAX_TICKET_TYPES = 20
# The type an event created the seed's way (`total_tickets`, `price`) has, and the one a ticket
# change that names no type takes: every event's first type.
DEFAULT_TICKET_TYPE = "default"


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


TicketTypeId = Annotated[
    str,
    StringConstraints(min_length=1, max_length=24, pattern=r"^[a-z0-9]+$"),
    Field(description="The ticket type's id within its event (`default` for the first)."),
]
TypeName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), SingleLine
]
TypeDescription = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]
Capacity = Annotated[int, Strict(), Field(ge=0, le=MAX_TOTAL_TICKETS)]
PerOrder = Annotated[int, Strict(), Field(ge=1, le=MAX_TICKET_DELTA)]


class TicketTypeCreate(BaseModel):
    """One kind of ticket an event sells, with its own price, capacity and rules."""

    model_config = ConfigDict(extra="forbid")

    name: TypeName
    description: TypeDescription = ""
    price: Price = Decimal("0.00")
    capacity: Capacity
    sales_start: UtcDatetime | None = Field(
        default=None, description="When the type goes on sale; on sale at once when absent."
    )
    sales_end: UtcDatetime | None = Field(
        default=None, description="When its sale ends; at the event's start when absent."
    )
    min_per_order: PerOrder = 1
    max_per_order: PerOrder = MAX_TICKET_DELTA
    hidden: bool = Field(
        default=False, description="Only sold through an access code; not listed to buyers."
    )

    @classmethod
    def one_pool(cls, *, capacity: int, price: Decimal) -> "TicketTypeCreate":
        """The one type of an event sold the seed's way (`total_tickets`, `price`)."""
        return cls(name="Admission", price=price, capacity=capacity)

    @model_validator(mode="after")
    def consistent(self) -> "TicketTypeCreate":
        if self.sales_start and self.sales_end and self.sales_end <= self.sales_start:
            raise ValueError("sales_end must be after sales_start")
        if self.max_per_order < self.min_per_order:
            raise ValueError("max_per_order must not be below min_per_order")
        return self


class TicketTypeUpdate(BaseModel):
    """Fields to change; absent ones stay. Capacity may go down only to what is sold."""

    model_config = ConfigDict(extra="forbid")

    name: TypeName | None = None
    description: TypeDescription | None = None
    price: Price | None = None
    capacity: Capacity | None = None
    sales_start: UtcDatetime | None = None
    sales_end: UtcDatetime | None = None
    min_per_order: PerOrder | None = None
    max_per_order: PerOrder | None = None
    hidden: bool | None = None

    @field_validator(
        "name", "description", "price", "capacity", "min_per_order", "max_per_order", "hidden"
    )
    @classmethod
    def not_removed(cls, value: object) -> object:
        if value is None:
            raise ValueError("cannot be removed; leave the field out to keep it")
        return value


class TicketSaleStatus(StrEnum):
    ON_SALE = "on-sale"
    NOT_YET = "not-yet-on-sale"
    ENDED = "sale-ended"
    SOLD_OUT = "sold-out"


class TicketTypePublic(BaseModel):
    id: TicketTypeId
    name: str
    description: str
    price: Decimal
    capacity: int
    available: int
    sales_start: datetime | None
    sales_end: datetime | None
    min_per_order: int
    max_per_order: int
    hidden: bool
    sale_status: TicketSaleStatus = Field(description="Whether it can be booked right now.")


class EventCreate(BaseModel):
    """An event with one pool of tickets (`total_tickets`, `price`: the seed's way, one
    `default` type) or with `ticket_types` (the first becomes `default`), not both."""

    model_config = ConfigDict(extra="forbid")

    title: Title
    description: Description = ""
    venue: Venue
    city: City | None = None
    category: EventCategory = EventCategory.OTHER
    starts_at: UtcDatetime = Field(description="Timezone-aware ISO 8601; stored in UTC.")
    ends_at: UtcDatetime | None = None
    timezone: Timezone = DEFAULT_TIMEZONE
    total_tickets: TotalTickets | None = None
    price: Price | None = None
    currency: CurrencyCode = "EUR"
    ticket_types: list[TicketTypeCreate] | None = Field(
        default=None, min_length=1, max_length=MAX_TICKET_TYPES
    )

    @model_validator(mode="after")
    def ends_after_start(self) -> "EventCreate":
        if self.ends_at is not None and self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self

    @model_validator(mode="after")
    def one_way_of_selling(self) -> "EventCreate":
        if self.ticket_types is None:
            if self.total_tickets is None:
                raise ValueError("give total_tickets, or ticket_types")
        elif self.total_tickets is not None or self.price is not None:
            raise ValueError("give total_tickets and price, or ticket_types, not both")
        elif sum(kind.capacity for kind in self.ticket_types) > MAX_TOTAL_TICKETS:
            raise ValueError(f"the ticket types hold more than {MAX_TOTAL_TICKETS} tickets")
        return self

    def types(self) -> list[TicketTypeCreate]:
        """The event's ticket types: the one pool as the `default` type, or those given."""
        if self.ticket_types is not None:
            return self.ticket_types
        assert self.total_tickets is not None  # one_way_of_selling
        return [
            TicketTypeCreate.one_pool(
                capacity=self.total_tickets, price=self.price or Decimal("0.00")
            )
        ]


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
    price: Decimal = Field(description="The `default` ticket type's price.")
    currency: str
    organizer_id: str
    status: EventStatus
    created_at: datetime
    updated_at: datetime
    ticket_types: list[TicketTypePublic] = Field(
        description="What the event sells, in order; hidden types only to its organizer."
    )


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


class TicketItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ticket_type_id: TicketTypeId
    quantity: Annotated[int, Strict(), Field(ge=1, le=MAX_TICKET_DELTA)]


class TicketChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    delta: Annotated[int, Strict(), Field(ge=-MAX_TICKET_DELTA, le=MAX_TICKET_DELTA)] = Field(
        description="Negative reserves that many tickets, positive releases them."
    )
    reference: Annotated[
        str, StringConstraints(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9._:-]+$")
    ] = Field(description="Identifies the booking; replays with it apply once.")
    ticket_type_id: TicketTypeId | None = Field(
        default=None, description="The type to change; `default` when neither this nor `items`."
    )
    items: list[TicketItem] | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_TICKET_TYPES,
        description="Several types at once, all or none; quantities add up to `|delta|`. A "
        "release naming no type gives back what its reservation took.",
    )

    @model_validator(mode="after")
    def consistent(self) -> "TicketChange":
        if self.delta == 0:
            raise ValueError("delta must not be 0")
        if self.items is not None:
            if self.ticket_type_id is not None:
                raise ValueError("give ticket_type_id or items, not both")
            if len({item.ticket_type_id for item in self.items}) != len(self.items):
                raise ValueError("each ticket type may appear once in items")
            if sum(item.quantity for item in self.items) != abs(self.delta):
                raise ValueError("the items' quantities must add up to |delta|")
        return self

    def named_items(self) -> tuple[tuple[str, int], ...] | None:
        """(type, quantity) of each type this change names, or None when it names none."""
        if self.items is not None:
            return tuple((item.ticket_type_id, item.quantity) for item in self.items)
        if self.ticket_type_id is not None:
            return ((self.ticket_type_id, abs(self.delta)),)
        return None
