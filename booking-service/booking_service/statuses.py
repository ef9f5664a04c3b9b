"""The vocabularies of booking-service's states, used by its tables, API and queries alike."""

from enum import StrEnum


class BookingStatus(StrEnum):
    """Where a booking's saga stands."""

    PENDING = "pending"  # recorded; the other services not yet (or not all) answered
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    FAILED = "failed"  # refused, or given up on; failed attempts are not bookings one holds


class OutboxStatus(StrEnum):
    """Where a notification waiting in the outbox stands."""

    PENDING = "pending"
    DELIVERED = "delivered"
    DEAD = "dead"  # given up on after too many attempts, or refused for good
