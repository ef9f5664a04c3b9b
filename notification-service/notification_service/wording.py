"""The words of notifications. Other services send facts; only this module turns them into text.

The subject and in-app body of a booking or event notification, and the opening line of its
email, come from `templates/words/<kind>.txt.j2`. Dates are shown in the event's time zone with
its abbreviation ("Fri 12 June 2026, 19:30 CEST") and amounts as "45.00 EUR", here and nowhere
else. The facts are read from the stored `data` leniently, so notifications stored before the
typed contract (`starts_at` with an offset and no `timezone`) still render.
"""

import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from notification_service.schemas import NotificationKind

FACTS_KINDS = frozenset(
    {
        NotificationKind.BOOKING_CONFIRMED,
        NotificationKind.BOOKING_CANCELLED,
        NotificationKind.BOOKING_FAILED,
        NotificationKind.EVENT_UPDATED,
    }
)


@dataclass(frozen=True)
class Words:
    subject: str
    body: str


def _zone(name: object) -> zoneinfo.ZoneInfo | None:
    if not isinstance(name, str):
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def local_time(starts_at: datetime, timezone: str | None) -> str:
    """`Fri 12 June 2026, 19:30 CEST`: in `timezone`, else in the offset `starts_at` carries."""
    zone = _zone(timezone)
    if zone is None:
        local = starts_at
    elif starts_at.tzinfo is None:  # stored before the contract: a local time with its zone
        local = starts_at.replace(tzinfo=zone)
    else:
        local = starts_at.astimezone(zone)
    label = f" {local:%Z}" if local.tzinfo is not None else ""
    return f"{local:%a} {local.day} {local:%B %Y}, {local:%H:%M}{label}"


def money(amount: Decimal, currency: str | None) -> str:
    """`1,234.50 EUR`: two decimal places, the ISO 4217 code after the amount."""
    shown = f"{amount:,.2f}"
    return f"{shown} {currency}" if currency else shown


def _when(data: Mapping[str, Any]) -> str | None:
    try:
        starts_at = datetime.fromisoformat(str(data["starts_at"]))
    except (KeyError, ValueError):
        return None
    return local_time(starts_at, data.get("timezone"))


def _total(data: Mapping[str, Any]) -> str | None:
    try:
        amount = Decimal(str(data["total_price"]))
    except (KeyError, InvalidOperation):
        return None
    currency = data.get("currency")
    return money(amount, currency if isinstance(currency, str) else None)


def _tickets_by_type(data: Mapping[str, Any]) -> str | None:
    """`2 Standard, 1 VIP` for a booking of several ticket types; None otherwise."""
    items = data.get("items")
    if not isinstance(items, list) or len(items) < 2:
        return None
    try:
        return ", ".join(f"{int(item['quantity'])} {item['name']}" for item in items)
    except (KeyError, TypeError, ValueError):
        return None


def facts_context(data: Mapping[str, Any] | None) -> dict[str, Any]:
    """What the templates show of a notification's facts; None for what is not known."""
    data = data or {}
    return {
        "event_title": data.get("event_title"),
        "when": _when(data),
        "where": ", ".join(str(data[key]) for key in ("venue", "city") if data.get(key)),
        "tickets": data.get("tickets"),
        "tickets_by_type": _tickets_by_type(data),
        "total": _total(data),
        "booking_id": data.get("booking_id"),
    }


def _one_paragraph(text: str) -> str:
    return " ".join(text.split())


class Wording:
    """Renders the words of each facts kind from its template (plain text, never HTML)."""

    def __init__(self) -> None:
        # Plain text is never interpreted as HTML, so escaping would only garble it; the
        # email's HTML part escapes what it inserts.
        self.env = Environment(
            loader=PackageLoader("notification_service", "templates"),
            auto_reload=False,  # shipped with the package: no file checks on every render
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            autoescape=False,  # noqa: S701
        )

    def _macros(self, kind: str, data: Mapping[str, Any] | None) -> Any:
        template = self.env.get_template(f"words/{kind}.txt.j2")
        return template.make_module(facts_context(data))

    def words(self, kind: str, data: Mapping[str, Any]) -> Words:
        """The stored subject and in-app body of a notification of a facts kind."""
        macros = self._macros(kind, data)
        return Words(
            subject=_one_paragraph(str(macros.subject())), body=_one_paragraph(str(macros.body()))
        )

    def intro(self, kind: str, data: Mapping[str, Any] | None) -> str:
        """The email's opening line; the event's details follow it as a list."""
        return _one_paragraph(str(self._macros(kind, data).intro()))
