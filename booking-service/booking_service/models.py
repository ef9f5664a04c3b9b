import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Enum,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from booking_service.statuses import BookingStatus, OutboxStatus
from service_kit.clock import utcnow
from service_kit.sql import UTCDateTime, naming_metadata


def _status_column(vocabulary: type[StrEnum]) -> Enum:
    """A VARCHAR(16) holding the enum's values; the CHECK constraint is `_known_status`'s."""
    return Enum(
        vocabulary,
        native_enum=False,
        create_constraint=False,
        length=16,
        values_callable=lambda members: [member.value for member in members],
    )


def _known_status(vocabulary: type[StrEnum]) -> CheckConstraint:
    values = ", ".join(f"'{member.value}'" for member in vocabulary)
    return CheckConstraint(f"status IN ({values})", name="status_known")


class Base(DeclarativeBase):
    metadata = naming_metadata()


class Booking(Base):
    """A booking and the state of its saga.

    It is written `pending` before any other service is called, so its id (the reservation's
    reference at event-service) is never lost, whatever fails afterwards.
    """

    __tablename__ = "bookings"
    __table_args__ = (
        _known_status(BookingStatus),
        CheckConstraint("tickets > 0", name="tickets_positive"),
        # An idempotency key is the caller's: the same key from two callers is two requests.
        UniqueConstraint("created_by", "idempotency_key", name="uq_bookings_idempotency"),
        Index("ix_bookings_user_id_created_at", "user_id", "created_at"),
        Index("ix_bookings_created_at_id", "created_at", "id"),  # everyone's, newest first
        Index("ix_bookings_status_updated_at", "status", "updated_at"),
        Index("ix_bookings_event_id", "event_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    user_email: Mapped[str | None] = mapped_column(String(320))
    event_id: Mapped[str] = mapped_column(String(64))
    event_title: Mapped[str | None] = mapped_column(String(200))
    event_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Where and in which time zone the event takes place, so notices carry the same facts.
    event_timezone: Mapped[str | None] = mapped_column(String(64))
    event_venue: Mapped[str | None] = mapped_column(String(200))
    event_city: Mapped[str | None] = mapped_column(String(100))
    unit_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    tickets: Mapped[int] = mapped_column(Integer)
    total_price: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    # Per ticket type: `{ticket_type_id, quantity}` as asked (None: the `default` type), then
    # with `name` and `unit_price` (a string) as confirmed.
    items: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    status: Mapped[BookingStatus] = mapped_column(
        _status_column(BookingStatus), default=BookingStatus.PENDING
    )
    failure_reason: Mapped[str | None] = mapped_column(String(64))
    # The problem answered when the booking failed, so an idempotent replay answers the same.
    failure: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Tickets may still be held for this failed booking: recovery releases them.
    release_pending: Mapped[bool] = mapped_column(Boolean, default=False)
    idempotency_key: Mapped[str | None] = mapped_column(String(255))
    request_fingerprint: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class OutboxMessage(Base):
    """A notification to deliver, written in the same transaction as the booking change."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        _known_status(OutboxStatus),
        Index("ix_outbox_messages_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    booking_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    kind: Mapped[str] = mapped_column(String(32))
    # notification-service keeps one notification per (user, dedupe_key): retries are harmless.
    dedupe_key: Mapped[str] = mapped_column(String(128), unique=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[OutboxStatus] = mapped_column(
        _status_column(OutboxStatus), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
