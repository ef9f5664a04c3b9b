import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, Strict, StringConstraints

from booking_service.statuses import BookingStatus

EventId = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
]


class BookingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    event_id: EventId
    tickets: Annotated[int, Strict(), Field(ge=1, description="At most MAX_TICKETS_PER_BOOKING.")]
    user_id: uuid.UUID | None = Field(
        default=None, description="Book on someone's behalf (admins); defaults to the caller."
    )


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
    status: BookingStatus
    failure_reason: str | None
    idempotency_key: str | None
    created_at: datetime
    updated_at: datetime
