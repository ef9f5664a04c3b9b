"""notification-service owns the words: subjects, in-app bodies and emails from its templates,
dates in the event's time zone with its abbreviation, amounts formatted one way."""

from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from bson import ObjectId
from fastapi import FastAPI

from notification_service.wording import local_time, money
from service_kit.clock import utcnow_ms
from tests.harness.smtp import SmtpSink
from tests.notification_service.helpers import (
    booking_payload,
    post_notification,
    stored,
    wait_for_messages,
)
from tests.utils.users import TestUser, bearer, random_email

SUMMER_IN_BERLIN = {"starts_at": "2026-06-12T17:30:00Z", "timezone": "Europe/Berlin"}
EVENT_FACTS = {
    "event_id": "ev-42",
    "event_title": "Jazz Night",
    "starts_at": "2026-06-12T17:30:00Z",
    "timezone": "Europe/Berlin",
    "venue": "Quasimodo",
    "city": "Berlin",
}

FAILED_FACTS = {
    "booking_id": "bk-7f3a9c",
    "event_id": "ev-42",
    "event_title": "Jazz Night",
    "tickets": 2,
}


def _with_facts(kind: str, **facts: Any) -> dict[str, Any]:
    payload = booking_payload(random_email(), kind=kind)
    payload["data"] = {**payload["data"], **facts}
    return payload


WORDS = [
    (
        _with_facts("booking_confirmed", **SUMMER_IN_BERLIN),
        "Booking confirmed: Jazz Night",
        "Your booking of 3 tickets for Jazz Night on Fri 12 June 2026, 19:30 CEST at Le Caveau, "
        "Paris is confirmed. Total: 90.00 EUR. Booking reference: bk-7f3a9c.",
    ),
    (
        _with_facts("booking_cancelled", tickets=1, total_price="30.00", city=None),
        "Booking cancelled: Jazz Night",
        "Your booking of 1 ticket for Jazz Night on Sat 14 March 2026, 19:30 CET at Le Caveau is "
        "cancelled and the tickets are released. Booking reference: bk-7f3a9c.",
    ),
    (
        {"user_email": random_email(), "kind": "booking_failed", "data": FAILED_FACTS},
        "Booking not completed: Jazz Night",
        "Your booking of 2 tickets for Jazz Night could not be completed, and no tickets are held "
        "for it. You can try booking again. Booking reference: bk-7f3a9c.",
    ),
    (
        {
            "user_email": random_email(),
            "kind": "booking_failed",
            "data": {**FAILED_FACTS, "event_title": None, "tickets": 1},
        },
        "Booking not completed",
        "Your booking of 1 ticket could not be completed, and no tickets are held for it. You can "
        "try booking again. Booking reference: bk-7f3a9c.",
    ),
    (
        {"user_email": random_email(), "kind": "event_updated", "data": EVENT_FACTS},
        "Event updated: Jazz Night",
        "Jazz Night has changed: it now takes place on Fri 12 June 2026, 19:30 CEST at "
        "Quasimodo, Berlin.",
    ),
]


@pytest.mark.parametrize(
    ("payload", "subject", "body"), WORDS, ids=[payload["kind"] for payload, _, _ in WORDS]
)
async def test_facts_notification_is_stored_with_words_from_the_templates(
    notifications_client: httpx.AsyncClient,
    service_headers: dict[str, str],
    admin_token: str,
    payload: dict[str, Any],
    subject: str,
    body: str,
) -> None:
    created = await post_notification(notifications_client, service_headers, payload)

    assert (created["subject"], created["body"]) == (subject, body)
    [listed] = await stored(notifications_client, bearer(admin_token), payload["user_email"])
    assert (listed["subject"], listed["body"]) == (subject, body)


async def test_booking_facts_without_timezone_are_shown_in_utc(
    notifications_client: httpx.AsyncClient, service_headers: dict[str, str]
) -> None:
    payload = booking_payload(random_email())
    del payload["data"]["timezone"]

    created = await post_notification(notifications_client, service_headers, payload)

    assert created["data"]["timezone"] == "UTC"
    assert "on Sat 14 March 2026, 18:30 UTC at" in created["body"]


async def test_booking_email_shows_the_local_time_and_the_total_once(
    notifications_client: httpx.AsyncClient,
    service_headers: dict[str, str],
    smtp_sink: SmtpSink,
    user: TestUser,
) -> None:
    payload = _with_facts("booking_confirmed", **SUMMER_IN_BERLIN)
    payload["user_email"] = user.email
    await post_notification(notifications_client, service_headers, payload)

    (message,) = await wait_for_messages(smtp_sink, user.email)

    text = message.get_body(("plain",))
    assert text is not None
    content = text.get_content()
    assert "When:              Fri 12 June 2026, 19:30 CEST" in content
    assert content.count("90.00 EUR") == 1
    assert content.count("2026") == 1


async def test_booking_email_of_several_ticket_types_lists_each(
    notifications_client: httpx.AsyncClient,
    service_headers: dict[str, str],
    smtp_sink: SmtpSink,
    user: TestUser,
) -> None:
    payload = _with_facts(
        "booking_confirmed",
        tickets=5,
        unit_price=None,
        total_price="115.50",
        items=[
            {"name": "Stalls", "quantity": 2, "unit_price": "30.00"},
            {"name": "Balcony", "quantity": 3, "unit_price": "18.50"},
        ],
    )
    payload["data"] = {name: value for name, value in payload["data"].items() if value is not None}
    payload["user_email"] = user.email
    stored = await post_notification(notifications_client, service_headers, payload)

    (message,) = await wait_for_messages(smtp_sink, user.email)

    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None
    assert html is not None
    assert "Tickets:           2 Stalls, 3 Balcony" in text.get_content()
    assert "2 Stalls, 3 Balcony" in html.get_content()
    assert "115.50 EUR" in text.get_content()
    assert "5 tickets" in stored["body"]


async def test_failed_booking_email_says_nothing_is_held_and_shows_no_price(
    notifications_client: httpx.AsyncClient,
    service_headers: dict[str, str],
    smtp_sink: SmtpSink,
    user: TestUser,
) -> None:
    payload = {"user_email": user.email, "kind": "booking_failed", "data": FAILED_FACTS}
    await post_notification(notifications_client, service_headers, payload)

    (message,) = await wait_for_messages(smtp_sink, user.email)

    assert message["Subject"] == "Booking not completed: Jazz Night"
    text = message.get_body(("plain",))
    assert text is not None
    content = text.get_content()
    assert "Your booking could not be completed; no tickets are held for it." in content
    assert "Booking reference: bk-7f3a9c" in content
    assert "Total:" not in content


async def test_email_of_a_notification_stored_before_the_contract_still_renders(
    notifications_client: httpx.AsyncClient, notification_app: FastAPI, smtp_sink: SmtpSink
) -> None:
    email = random_email()
    now = utcnow_ms()
    # As booking-service wrote it before: its own words, a start with an offset, no zone.
    await notification_app.state.store.notifications.insert_one(
        {
            "_id": ObjectId(),
            "user_email": email,
            "kind": "booking_confirmed",
            "subject": "Booking confirmed: Old Night",
            "body": "Your booking of 2 ticket(s) for Old Night is confirmed.",
            "data": {
                "booking_id": "bk-old",
                "event_title": "Old Night",
                "starts_at": "2026-03-14T19:30:00+01:00",
                "tickets": 2,
                "total_price": "40.00",
                "currency": "EUR",
            },
            "read": False,
            "read_at": None,
            "email_status": "queued",
            "email_attempts": 0,
            "last_error": None,
            "created_at": now,
            "sent_at": None,
            "next_attempt_at": now,
        }
    )
    notification_app.state.email_worker.wake()

    (message,) = await wait_for_messages(smtp_sink, email)

    assert message["Subject"] == "Booking confirmed: Old Night"
    text = message.get_body(("plain",))
    assert text is not None
    assert "When:              Sat 14 March 2026, 19:30 UTC+01:00" in text.get_content()
    assert "Total:             40.00 EUR" in text.get_content()


@pytest.mark.parametrize(
    ("starts_at", "zone", "shown"),
    [
        ("2026-06-12T17:30:00+00:00", "Europe/Berlin", "Fri 12 June 2026, 19:30 CEST"),
        ("2026-12-12T18:30:00+00:00", "Europe/Berlin", "Sat 12 December 2026, 19:30 CET"),
        ("2026-06-12T17:30:00+00:00", "America/New_York", "Fri 12 June 2026, 13:30 EDT"),
        ("2026-06-12T17:30:00+00:00", "UTC", "Fri 12 June 2026, 17:30 UTC"),
        ("2026-06-12T23:30:00+00:00", "Asia/Tokyo", "Sat 13 June 2026, 08:30 JST"),
    ],
)
def test_local_time_is_in_the_zone_with_its_abbreviation(
    starts_at: str, zone: str, shown: str
) -> None:
    assert local_time(datetime.fromisoformat(starts_at), zone) == shown


def test_money_has_two_places_and_the_currency_after_the_amount() -> None:
    assert money(Decimal("1234.5"), "EUR") == "1,234.50 EUR"
    assert money(Decimal("0"), "USD") == "0.00 USD"
