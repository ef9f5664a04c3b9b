"""Rendering a notification as an email: a plain-text and an HTML part from Jinja2 templates.

Booking emails show the event's date and time in the event's own time zone (`data.timezone`,
else the offset `starts_at` was given with), the ticket count, the booking reference and the
total; other kinds show the subject and body.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from notification_service.models import Document
from notification_service.schemas import NotificationKind

# The three event kinds share a layout that lists the booking's details.
TEMPLATE_OF_KIND = {
    NotificationKind.BOOKING_CONFIRMED.value: "event",
    NotificationKind.BOOKING_CANCELLED.value: "event",
    NotificationKind.EVENT_UPDATED.value: "event",
    NotificationKind.GENERIC.value: "generic",
}


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def _offset_label(value: datetime) -> str:
    minutes = int((value.utcoffset() or timedelta()).total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{'+' if minutes > 0 else '-'}{hours:02d}:{rest:02d}"


def _zone(name: object) -> zoneinfo.ZoneInfo | None:
    if not isinstance(name, str):
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def event_time(data: dict[str, Any]) -> str | None:
    """`Saturday 14 March 2026, 19:30 (Europe/Paris)`: in the event's time zone, else its offset."""
    try:
        starts_at = datetime.fromisoformat(str(data["starts_at"]))
    except (KeyError, ValueError):
        return None
    zone = _zone(data.get("timezone"))
    if zone is not None:
        local = starts_at.astimezone(zone) if starts_at.tzinfo else starts_at.replace(tzinfo=zone)
        label = str(data["timezone"])
    elif starts_at.tzinfo is not None:
        local, label = starts_at, _offset_label(starts_at)
    else:
        return None
    return f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M} ({label})"


def money(data: dict[str, Any]) -> str | None:
    raw = data.get("total_price")
    if raw is None:
        return None
    try:
        amount = Decimal(str(raw)).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None
    currency = data.get("currency")
    return f"{amount} {currency}" if isinstance(currency, str) else str(amount)


class EmailRenderer:
    def __init__(self, *, app_url: str) -> None:
        self.app_url = app_url
        loader = PackageLoader("notification_service", "templates")
        options: dict[str, Any] = {
            "loader": loader,
            "undefined": StrictUndefined,
            "trim_blocks": True,
            "lstrip_blocks": True,
        }
        self.html = Environment(autoescape=select_autoescape(default=True), **options)
        # Plain text is never interpreted as HTML, so escaping would only garble it.
        self.text = Environment(autoescape=False, **options)  # noqa: S701

    def render(self, document: Document) -> RenderedEmail:
        data: dict[str, Any] = document.get("data") or {}
        template = TEMPLATE_OF_KIND.get(document["kind"], "generic")
        context = {
            "subject": document["subject"],
            "body": document["body"],
            "kind": document["kind"],
            "data": data,
            "event_title": data.get("event_title"),
            "when": event_time(data),
            "venue": ", ".join(str(data[key]) for key in ("venue", "city") if data.get(key)),
            "tickets": data.get("tickets"),
            "booking_id": data.get("booking_id"),
            "total": money(data),
            "app_url": self.app_url,
        }
        return RenderedEmail(
            subject=document["subject"],
            text=self.text.get_template(f"{template}.txt.j2").render(context),
            html=self.html.get_template(f"{template}.html.j2").render(context),
        )


def build_message(
    *, document: Document, rendered: RenderedEmail, sender: str, sender_domain: str
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = document["user_email"]
    message["Subject"] = rendered.subject
    message["Date"] = format_datetime(document["created_at"])
    # The same id on every attempt lets mail systems drop a duplicate after a lost reply.
    message["Message-ID"] = f"<notification-{document['_id']}@{sender_domain}>"
    message["X-Notification-Id"] = str(document["_id"])
    message["X-Notification-Kind"] = document["kind"]
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    return message
