"""The notifications a booking sends, as outbox messages: facts only.

notification-service owns the words (subject, in-app text, email) and formats the date in the
event's time zone and the amounts; booking-service says what happened and to which booking.
"""

from typing import Any

from booking_service.models import Booking, OutboxMessage


def booking_facts(booking: Booking) -> dict[str, Any]:
    """notification-service's `BookingFacts` of a confirmed (or since cancelled) booking."""
    starts_at = booking.event_starts_at
    snapshot = (booking.event_title, booking.total_price, booking.currency)
    if starts_at is None or None in snapshot:
        raise ValueError(f"booking {booking.id} was never confirmed: it has no event snapshot")
    facts: dict[str, Any] = {
        "booking_id": str(booking.id),
        "event_id": booking.event_id,
        "event_title": booking.event_title,
        "starts_at": starts_at.isoformat(),
        "timezone": booking.event_timezone,
        "venue": booking.event_venue,
        "city": booking.event_city,
        "tickets": booking.tickets,
        "unit_price": None if booking.unit_price is None else str(booking.unit_price),
        "total_price": str(booking.total_price),
        "currency": booking.currency,
        "items": _booked_items(booking),
    }
    return {name: value for name, value in facts.items() if value is not None}


def _booked_items(booking: Booking) -> list[dict[str, Any]] | None:
    """notification-service's `BookedItem`s, for a booking of several ticket types."""
    items = booking.items or []
    if len(items) < 2 or any(item.get("name") is None for item in items):
        return None
    return [
        {"name": item["name"], "quantity": item["quantity"], "unit_price": item["unit_price"]}
        for item in items
    ]


def booking_notice(booking: Booking, kind: str) -> OutboxMessage:
    """The notification of `kind` (`booking_confirmed`, `booking_cancelled`) for a booking
    that was confirmed."""
    dedupe_key = f"{kind}:{booking.id}"
    payload = {
        "user_email": booking.user_email,
        "kind": kind,
        "data": booking_facts(booking),
        "dedupe_key": dedupe_key,
        "send_email": True,
    }
    return OutboxMessage(booking_id=booking.id, kind=kind, dedupe_key=dedupe_key, payload=payload)


def failure_notice(booking: Booking, *, email: str, event_title: str | None) -> OutboxMessage:
    """The `booking_failed` notification: the booking was given up on and holds nothing.

    A failed booking has no confirmed snapshot, so the facts are what it was asked for, with
    the event's title when it is known and can be sent.
    """
    kind = "booking_failed"
    dedupe_key = f"{kind}:{booking.id}"
    facts: dict[str, Any] = {
        "booking_id": str(booking.id),
        "event_id": booking.event_id,
        "tickets": booking.tickets,
    }
    if event_title and event_title.isprintable():
        facts["event_title"] = event_title
    payload = {
        "user_email": email,
        "kind": kind,
        "data": facts,
        "dedupe_key": dedupe_key,
        "send_email": True,
    }
    return OutboxMessage(booking_id=booking.id, kind=kind, dedupe_key=dedupe_key, payload=payload)
