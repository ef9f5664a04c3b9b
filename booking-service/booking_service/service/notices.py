"""The notifications a booking sends, as outbox messages."""

from typing import Any

from booking_service.models import Booking, OutboxMessage


def _when(booking: Booking) -> str:
    starts = booking.event_starts_at
    return starts.strftime("%A %d %B %Y, %H:%M UTC") if starts else "the announced date"


def booking_notice(
    booking: Booking, kind: str, *, place: dict[str, str | None] | None = None
) -> OutboxMessage:
    """The notification of `kind` for the booking; `place` adds the event's venue and city."""
    title = booking.event_title or "your event"
    total = f"{booking.total_price} {booking.currency}" if booking.total_price is not None else ""
    if kind == "booking_confirmed":
        subject = f"Booking confirmed: {title}"
        body = (
            f"Your booking of {booking.tickets} ticket(s) for {title} on {_when(booking)} "
            f"is confirmed. Total: {total}. Booking reference: {booking.id}."
        )
    else:
        subject = f"Booking cancelled: {title}"
        body = (
            f"Your booking of {booking.tickets} ticket(s) for {title} on {_when(booking)} "
            f"is cancelled and the tickets are released. Booking reference: {booking.id}."
        )
    dedupe_key = f"{kind}:{booking.id}"
    data: dict[str, Any] = {
        "booking_id": str(booking.id),
        "event_id": booking.event_id,
        "event_title": booking.event_title,
        "starts_at": booking.event_starts_at.isoformat() if booking.event_starts_at else None,
        "tickets": booking.tickets,
        "unit_price": str(booking.unit_price) if booking.unit_price is not None else None,
        "total_price": str(booking.total_price) if booking.total_price is not None else None,
        "currency": booking.currency,
        **(place or {}),
    }
    payload = {
        "user_email": booking.user_email,
        "kind": kind,
        "subject": subject,
        "body": body,
        "data": data,
        "dedupe_key": dedupe_key,
        "send_email": True,
    }
    return OutboxMessage(booking_id=booking.id, kind=kind, dedupe_key=dedupe_key, payload=payload)
