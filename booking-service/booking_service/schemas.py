import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    field_validator,
    model_validator,
)

from booking_service.statuses import BookingStatus

EventId = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
]


TicketTypeId = Annotated[
    str, StringConstraints(min_length=1, max_length=24, pattern=r"^[a-z0-9]+$")
]
MAX_ITEMS = 20
# (ticket type id, quantity) per type asked for, as booking-service passes them around.
Items = tuple[tuple[str, int], ...]


def items_json(items: Items) -> list[dict[str, Any]]:
    """`items` as stored with a booking and sent to event-service."""
    return [{"ticket_type_id": type_id, "quantity": quantity} for type_id, quantity in items]


class BookingItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ticket_type_id: TicketTypeId = Field(description="One of the event's `ticket_types`.")
    quantity: Annotated[int, Strict(), Field(ge=1)]


class BookingCreate(BaseModel):
    """Tickets of the event's `default` type (`tickets`, the seed's way), or of several types
    at once (`items`: all are booked or none), not both."""

    model_config = ConfigDict(extra="forbid")

    event_id: EventId
    tickets: (
        Annotated[int, Strict(), Field(ge=1, description="At most MAX_TICKETS_PER_BOOKING.")] | None
    ) = None
    items: list[BookingItemCreate] | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_ITEMS,
        description="Several ticket types in one booking; at most MAX_TICKETS_PER_BOOKING "
        "tickets in all.",
    )
    user_id: uuid.UUID | None = Field(
        default=None, description="Book on someone's behalf (admins); defaults to the caller."
    )

    @model_validator(mode="after")
    def tickets_or_items(self) -> "BookingCreate":
        if (self.tickets is None) == (self.items is None):
            raise ValueError("give tickets, or items, not both")
        if self.items is not None:
            kinds = [item.ticket_type_id for item in self.items]
            if len(set(kinds)) != len(kinds):
                raise ValueError("each ticket type may appear once in items")
        return self

    def asked_items(self) -> Items | None:
        """(type, quantity) of each type asked for; None for `tickets` of the default type."""
        if self.items is None:
            return None
        return tuple((item.ticket_type_id, item.quantity) for item in self.items)

    @property
    def quantity(self) -> int:
        """The tickets asked for in all."""
        if self.items is not None:
            return sum(item.quantity for item in self.items)
        assert self.tickets is not None  # tickets_or_items
        return self.tickets


class BookingItemPublic(BaseModel):
    ticket_type_id: str
    name: str | None = Field(description="The type's name when it was booked.")
    quantity: int
    unit_price: Decimal | None = Field(description="Its price when it was booked.")


class BookingPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    user_id: uuid.UUID
    user_email: str | None
    event_id: str
    event_title: str | None
    event_starts_at: datetime | None
    event_timezone: str | None = Field(
        description="The event's IANA time zone: how people at the venue read `event_starts_at`."
    )
    unit_price: Decimal | None
    currency: str | None
    tickets: int
    total_price: Decimal | None
    items: list[BookingItemPublic] = Field(
        description="What was booked, per ticket type, with names and prices as booked "
        "(empty for bookings made before ticket types)."
    )
    status: BookingStatus
    failure_reason: str | None
    idempotency_key: str | None
    created_at: datetime
    updated_at: datetime

    @field_validator("items", mode="before")
    @classmethod
    def none_is_empty(cls, value: object) -> object:
        return [] if value is None else value
