"""POST /notifications: storing, deduplicating, and refusing bad input with problem bodies."""

import asyncio
from typing import Any

import httpx
import pytest

from tests.harness.smtp import SmtpSink
from tests.notification_service.helpers import (
    booking_payload,
    generic_payload,
    messages_to,
    post_notification,
    stored,
    wait_for_messages,
)
from tests.utils.asgi import running_client
from tests.utils.users import TestUser, assert_problem, bearer, random_email, service_token


async def test_create_notification_by_service_is_stored_queued_and_returned(
    notifications_client: httpx.AsyncClient, service_headers: dict[str, str], user: TestUser
) -> None:
    payload = booking_payload(user.email.upper(), dedupe_key="booking:bk-7f3a9c:confirmed")

    response = await notifications_client.post(
        "/notifications", json=payload, headers=service_headers
    )

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["user_email"] == user.email  # normalised to lower case
    assert body["kind"] == "booking_confirmed"
    assert body["subject"] == "Booking confirmed: Jazz Night"
    assert body["data"]["tickets"] == 3
    assert body["data"]["total_price"] == "90.00"
    assert body["dedupe_key"] == "booking:bk-7f3a9c:confirmed"
    assert body["read"] is False
    assert body["email_status"] == "queued"
    assert body["email_attempts"] == 0
    assert body["sent_at"] is None
    listed = await stored(notifications_client, user.headers, user.email)
    assert [item["id"] for item in listed] == [body["id"]]


async def test_create_notification_by_admin_is_accepted(
    notifications_client: httpx.AsyncClient, admin_token: str
) -> None:
    payload = generic_payload(random_email(), data=None)

    response = await notifications_client.post(
        "/notifications", json=payload, headers=bearer(admin_token)
    )

    assert response.status_code == 201, response.text
    assert response.json()["data"] is None


async def test_create_notification_with_send_email_false_is_disabled_and_not_mailed(
    notifications_client: httpx.AsyncClient, service_headers: dict[str, str], smtp_sink: SmtpSink
) -> None:
    email = random_email()
    quiet = await post_notification(
        notifications_client,
        service_headers,
        generic_payload(email, subject="In-app only", send_email=False),
    )
    await post_notification(
        notifications_client, service_headers, generic_payload(email, subject="Mailed")
    )

    await wait_for_messages(smtp_sink, email)
    assert quiet["email_status"] == "disabled"
    assert [message["Subject"] for message in messages_to(smtp_sink, email)] == ["Mailed"]


async def test_create_notification_repeated_dedupe_key_returns_existing_and_mails_once(
    notifications_client: httpx.AsyncClient, service_headers: dict[str, str], smtp_sink: SmtpSink
) -> None:
    email = random_email()
    payload = generic_payload(email, dedupe_key="booking:1:confirmed")
    first = await post_notification(notifications_client, service_headers, payload)
    await wait_for_messages(smtp_sink, email)

    again = await notifications_client.post(
        "/notifications", json={**payload, "subject": "Changed"}, headers=service_headers
    )

    assert again.status_code == 200
    assert again.json()["id"] == first["id"]
    assert again.json()["subject"] == payload["subject"]
    assert again.json()["email_status"] == "sent"
    await asyncio.sleep(0.3)  # several worker polls: nothing more may be sent
    assert len(messages_to(smtp_sink, email)) == 1


async def test_create_notification_concurrent_identical_posts_store_and_mail_once(
    notifications_client: httpx.AsyncClient,
    service_headers: dict[str, str],
    smtp_sink: SmtpSink,
    admin_token: str,
) -> None:
    email = random_email()
    payload = booking_payload(email, dedupe_key="booking:race:confirmed")

    responses = await asyncio.gather(
        *(
            notifications_client.post("/notifications", json=payload, headers=service_headers)
            for _ in range(12)
        )
    )

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] * 11 + [201]
    assert len({response.json()["id"] for response in responses}) == 1
    await wait_for_messages(smtp_sink, email)
    await asyncio.sleep(0.3)
    assert len(messages_to(smtp_sink, email)) == 1
    assert len(await stored(notifications_client, bearer(admin_token), email)) == 1


async def test_create_generic_notification_long_subject_and_free_data_are_kept_as_given(
    notifications_client: httpx.AsyncClient, service_headers: dict[str, str]
) -> None:
    data = {"event_title": None, "nested": {"list": [1, "two", 3.5, True]}, "unit_price": "30.00"}
    payload = generic_payload(
        random_email(), subject="Booking confirmed: " + "t" * 200, body="  Spaced.  ", data=data
    )

    created = await post_notification(notifications_client, service_headers, payload)

    assert created["subject"] == payload["subject"]
    assert created["body"] == "Spaced."
    assert created["data"] == data


async def test_create_notification_same_dedupe_key_for_other_user_is_a_new_notification(
    notifications_client: httpx.AsyncClient, service_headers: dict[str, str]
) -> None:
    first = await post_notification(
        notifications_client, service_headers, booking_payload(random_email(), dedupe_key="k:1")
    )
    second = await post_notification(
        notifications_client, service_headers, booking_payload(random_email(), dedupe_key="k:1")
    )

    assert first["id"] != second["id"]


GENERIC_BAD_INPUT = [
    ("unknown kind", {"kind": "birthday"}, "body.kind"),
    ("no kind", {"kind": None}, "body.kind"),
    ("invalid email", {"user_email": "not-an-email"}, "body.generic.user_email"),
    ("empty subject", {"subject": "   "}, "body.generic.subject"),
    ("no subject", {"subject": None}, "body.generic.subject"),
    ("subject too long", {"subject": "s" * 301}, "body.generic.subject"),
    # The kit refuses the carriage return before the union is resolved: the JSON path names it.
    ("header injection", {"subject": "Hi\r\nBcc: victim@example.com"}, "body.subject"),
    ("body too long", {"body": "x" * 10_001}, "body.generic.body"),
    ("unknown field", {"priority": "high"}, "body.generic.priority"),
    ("dedupe key with spaces", {"dedupe_key": "a b"}, "body.generic.dedupe_key"),
    ("oversized data", {"data": {"notes": "x" * 5000}}, "body.generic.data"),
    ("data not an object", {"data": ["a", "b"]}, "body.generic.data"),
]


@pytest.mark.parametrize(
    ("change", "field"),
    [(c, f) for _, c, f in GENERIC_BAD_INPUT],
    ids=[name for name, _, _ in GENERIC_BAD_INPUT],
)
async def test_create_generic_notification_bad_input_is_422_problem_naming_the_field(
    notifications_client: httpx.AsyncClient,
    service_headers: dict[str, str],
    change: dict[str, Any],
    field: str,
) -> None:
    payload = {**generic_payload(random_email()), **change}

    response = await notifications_client.post(
        "/notifications", json=payload, headers=service_headers
    )

    _assert_names_field(response, field)


FACTS = "body.booking_confirmed.data"
BOOKING_BAD_INPUT = [
    ("words given", {"subject": "Hello", "body": "Hi"}, None, "body.booking_confirmed.subject"),
    ("no facts", {"data": None}, None, FACTS),
    ("unknown time zone", {}, {"timezone": "Mars/Base"}, f"{FACTS}.timezone"),
    ("naive start", {}, {"starts_at": "2026-03-14T18:30:00"}, f"{FACTS}.starts_at"),
    ("start past 9999", {}, {"starts_at": "9999-12-31T23:00:00-05:00"}, f"{FACTS}.starts_at"),
    ("start before 1970", {}, {"starts_at": "0001-01-01T00:00:00+01:00"}, f"{FACTS}.starts_at"),
    ("no tickets", {}, {"tickets": 0}, f"{FACTS}.tickets"),
    ("negative tickets", {}, {"tickets": -1}, f"{FACTS}.tickets"),
    ("three decimals", {}, {"total_price": "90.001"}, f"{FACTS}.total_price"),
    ("negative price", {}, {"unit_price": "-1.00"}, f"{FACTS}.unit_price"),
    ("bad currency", {}, {"currency": "euro"}, f"{FACTS}.currency"),
    ("no title", {}, {"event_title": None}, f"{FACTS}.event_title"),
    ("unknown fact", {}, {"notes": "hello"}, f"{FACTS}.notes"),
]


@pytest.mark.parametrize(
    ("change", "facts", "field"),
    [(c, d, f) for _, c, d, f in BOOKING_BAD_INPUT],
    ids=[name for name, _, _, _ in BOOKING_BAD_INPUT],
)
async def test_create_booking_notification_bad_input_is_422_problem_naming_the_field(
    notifications_client: httpx.AsyncClient,
    service_headers: dict[str, str],
    change: dict[str, Any],
    facts: dict[str, Any] | None,
    field: str,
) -> None:
    payload = {**booking_payload(random_email()), **change}
    if facts is not None:
        payload["data"] = {**payload["data"], **facts}

    response = await notifications_client.post(
        "/notifications", json=payload, headers=service_headers
    )

    _assert_names_field(response, field)


async def test_create_booking_notification_negative_zero_amounts_are_zero(
    notifications_client: httpx.AsyncClient, service_headers: dict[str, str]
) -> None:
    payload = booking_payload(random_email())
    payload["data"] |= {"unit_price": "-0.00", "total_price": -0.0}

    body = await post_notification(notifications_client, service_headers, payload)

    assert (body["data"]["unit_price"], body["data"]["total_price"]) == ("0.00", "0.00")


def _assert_names_field(response: httpx.Response, field: str) -> None:
    problem = assert_problem(response, 422)
    errors = problem["errors"]
    assert isinstance(errors, list)
    assert any(error["field"].startswith(field) for error in errors), errors


async def test_create_notification_oversized_request_is_413_problem(
    notifications_client: httpx.AsyncClient, service_headers: dict[str, str]
) -> None:
    payload = generic_payload(random_email(), body="x" * 70_000)

    response = await notifications_client.post(
        "/notifications", json=payload, headers=service_headers
    )

    problem = assert_problem(response, 413)
    assert "65536 bytes" in str(problem["detail"])


async def test_create_notification_oversized_streamed_request_is_413_problem(
    notifications_client: httpx.AsyncClient, service_headers: dict[str, str]
) -> None:
    async def chunks() -> Any:
        yield b'{"user_email": "a@example.com", "kind": "generic", "subject": "s", "body": "'
        for _ in range(100):
            yield b"x" * 1000
        yield b'"}'

    response = await notifications_client.post(
        "/notifications",
        content=chunks(),
        headers={**service_headers, "content-type": "application/json"},
    )

    assert_problem(response, 413)


async def test_create_notification_malformed_json_is_422_problem(
    notifications_client: httpx.AsyncClient, service_headers: dict[str, str]
) -> None:
    response = await notifications_client.post(
        "/notifications",
        content=b'{"user_email": ',
        headers={**service_headers, "content-type": "application/json"},
    )

    assert_problem(response, 422)


async def test_create_notification_email_globally_disabled_marks_disabled(
    make_notification_settings: Any, make_notification_app: Any, users_client: httpx.AsyncClient
) -> None:
    app = make_notification_app(make_notification_settings(email_enabled=False))
    async with running_client(app) as client:
        headers = bearer(await service_token(users_client))
        created = await post_notification(client, headers, booking_payload(random_email()))

    assert created["email_status"] == "disabled"
    assert app.state.email_worker is None
