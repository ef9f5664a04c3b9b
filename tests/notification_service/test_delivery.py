"""Email delivery: what arrives over SMTP, retries, giving up, and restarts."""

import asyncio
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from notification_service.config import NotificationSettings
from notification_service.delivery import DueEmails
from notification_service.models import NotificationStore
from tests.harness.ports import free_port
from tests.harness.smtp import SmtpSink, run_smtp_sink
from tests.notification_service.helpers import (
    booking_payload,
    generic_payload,
    messages_to,
    post_notification,
    wait_for_messages,
)
from tests.utils.asgi import running_client
from tests.utils.users import bearer, random_email
from tests.utils.waiting import eventually

MakeSettings = Callable[..., NotificationSettings]
MakeApp = Callable[[NotificationSettings], FastAPI]


async def _notification(client: httpx.AsyncClient, admin_token: str, email: str) -> dict[str, Any]:
    response = await client.get(f"/notifications/{email}", headers=bearer(admin_token))
    assert response.status_code == 200, response.text
    (notification,) = response.json()
    assert isinstance(notification, dict)
    return notification


async def test_delivery_booking_email_arrives_with_event_details_in_both_parts(
    notifications_client: httpx.AsyncClient,
    service_headers: dict[str, str],
    smtp_sink: SmtpSink,
    admin_token: str,
) -> None:
    email = random_email()
    created = await post_notification(notifications_client, service_headers, booking_payload(email))

    (message,) = await wait_for_messages(smtp_sink, email)

    assert message["X-Envelope-To"] == email
    assert message["From"] == "Event Booking <no-reply@localhost>"
    assert message["Subject"] == "Booking confirmed: Jazz Night"
    assert message["Message-ID"] == f"<notification-{created['id']}@localhost>"
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None
    assert html is not None
    for part in (text.get_content(), html.get_content()):
        assert "Your booking is confirmed. Here are the details." in part
        assert "Jazz Night" in part
        # 18:30 UTC is 19:30 in Paris in March (CET, UTC+1).
        assert "Sat 14 March 2026, 19:30 CET" in part
        assert "Le Caveau, Paris" in part
        assert "90.00 EUR" in part
        assert "bk-7f3a9c" in part
    assert "Tickets:           3" in text.get_content()
    sent = await eventually(lambda: _sent(notifications_client, admin_token, email), within=5)
    assert sent["email_attempts"] == 1
    assert sent["sent_at"] is not None
    assert sent["last_error"] is None


async def _sent(client: httpx.AsyncClient, admin_token: str, email: str) -> dict[str, Any] | None:
    notification = await _notification(client, admin_token, email)
    return notification if notification["email_status"] == "sent" else None


async def test_delivery_html_part_escapes_what_callers_sent(
    notifications_client: httpx.AsyncClient, service_headers: dict[str, str], smtp_sink: SmtpSink
) -> None:
    email = random_email()
    payload = booking_payload(email)
    payload["data"]["event_title"] = "<script>alert(1)</script>"
    await post_notification(notifications_client, service_headers, payload)
    await post_notification(
        notifications_client, service_headers, generic_payload(email, body="<b>bold</b> & more")
    )

    booking, generic = sorted(
        await wait_for_messages(smtp_sink, email, count=2),
        key=lambda message: message["X-Notification-Kind"],
    )

    html = booking.get_body(("html",))
    assert html is not None
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html.get_content()
    assert "<script>" not in html.get_content()
    generic_html = generic.get_body(("html",))
    generic_text = generic.get_body(("plain",))
    assert generic_html is not None
    assert generic_text is not None
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; more" in generic_html.get_content()
    assert "<b>bold</b> & more" in generic_text.get_content()


async def test_delivery_smtp_down_then_back_retries_and_sends_once(
    make_notification_settings: MakeSettings,
    make_notification_app: MakeApp,
    service_headers: dict[str, str],
    admin_token: str,
    tmp_path: Path,
) -> None:
    port = free_port()  # nothing listens here yet
    settings = make_notification_settings(
        smtp_host="127.0.0.1", smtp_port=port, email_max_attempts=100
    )
    email = random_email()
    async with running_client(make_notification_app(settings)) as client:
        await post_notification(client, service_headers, booking_payload(email))

        async def retried() -> dict[str, Any] | None:
            notification = await _notification(client, admin_token, email)
            return notification if notification["email_attempts"] >= 3 else None

        failing = await eventually(retried)
        assert failing["email_status"] == "queued"
        assert "Connect" in failing["last_error"]

        with run_smtp_sink(port=port, directory=tmp_path / "mail") as sink:
            await wait_for_messages(sink, email)
            sent = await eventually(lambda: _sent(client, admin_token, email))
            await asyncio.sleep(0.3)
            assert len(messages_to(sink, email)) == 1

    assert sent["email_attempts"] > failing["email_attempts"]
    assert sent["last_error"] is not None  # the history of the failed attempts stays


async def test_delivery_smtp_down_past_max_attempts_is_failed_with_error(
    make_notification_settings: MakeSettings,
    make_notification_app: MakeApp,
    service_headers: dict[str, str],
    admin_token: str,
) -> None:
    settings = make_notification_settings(
        smtp_host="127.0.0.1", smtp_port=free_port(), email_max_attempts=3
    )
    email = random_email()
    async with running_client(make_notification_app(settings)) as client:
        await post_notification(client, service_headers, booking_payload(email))

        async def failed() -> dict[str, Any] | None:
            notification = await _notification(client, admin_token, email)
            return notification if notification["email_status"] == "failed" else None

        notification = await eventually(failed)
        await asyncio.sleep(0.3)
        after = await _notification(client, admin_token, email)

    assert notification["email_attempts"] == 3
    assert "Connect" in notification["last_error"]
    assert after["email_attempts"] == 3  # no attempt after giving up


async def test_delivery_recipient_refused_is_failed_without_retry(
    make_notification_settings: MakeSettings,
    make_notification_app: MakeApp,
    service_headers: dict[str, str],
    admin_token: str,
) -> None:
    email = random_email()
    with run_smtp_sink(refuse=[email]) as sink:
        settings = make_notification_settings(smtp_port=sink.port, email_max_attempts=5)
        async with running_client(make_notification_app(settings)) as client:
            await post_notification(client, service_headers, booking_payload(email))

            async def failed() -> dict[str, Any] | None:
                notification = await _notification(client, admin_token, email)
                return notification if notification["email_status"] == "failed" else None

            notification = await eventually(failed)

    assert notification["email_attempts"] == 1
    assert "550" in notification["last_error"]
    assert sink.messages() == []


async def test_delivery_queued_email_is_sent_after_a_restart(
    make_notification_settings: MakeSettings,
    make_notification_app: MakeApp,
    service_headers: dict[str, str],
    smtp_sink: SmtpSink,
    admin_token: str,
) -> None:
    email = random_email()
    down = make_notification_settings(smtp_host="127.0.0.1", smtp_port=free_port())
    async with running_client(make_notification_app(down)) as client:
        await post_notification(client, service_headers, booking_payload(email))
        await eventually(lambda: _attempted(client, admin_token, email))
    assert messages_to(smtp_sink, email) == []

    restarted = down.model_copy(update={"smtp_host": smtp_sink.host, "smtp_port": smtp_sink.port})
    async with running_client(make_notification_app(restarted)) as client:
        await wait_for_messages(smtp_sink, email)
        sent = await eventually(lambda: _sent(client, admin_token, email))

    assert sent["email_attempts"] >= 2


async def _attempted(client: httpx.AsyncClient, admin_token: str, email: str) -> bool:
    return (await _notification(client, admin_token, email))["email_attempts"] >= 1


async def test_delivery_claim_of_a_crashed_worker_is_taken_over_after_its_lease(
    make_notification_settings: MakeSettings,
    make_notification_app: MakeApp,
    service_headers: dict[str, str],
    smtp_sink: SmtpSink,
) -> None:
    # A lease long enough that a loaded machine still sends and records within it (one take-over).
    settings = make_notification_settings(smtp_timeout_seconds=0.2, email_lease_seconds=2.0)
    email = random_email()
    api_only = make_notification_app(settings.model_copy(update={"email_worker_enabled": False}))
    async with running_client(api_only) as client:
        created = await post_notification(client, service_headers, booking_payload(email))
        store: NotificationStore = api_only.state.store
        due = DueEmails(store, worker_id="crashed", lease=timedelta(seconds=2.0), batch=1)
        crashed = await due.claim()
        assert crashed is not None

    worker_app = make_notification_app(settings)
    async with running_client(worker_app):
        await asyncio.sleep(0.3)
        assert messages_to(smtp_sink, email) == []  # still leased to the crashed worker
        await wait_for_messages(smtp_sink, email)

        async def recorded() -> dict[str, Any] | None:
            # The email reaches the sink a moment before the worker records it as sent.
            found = await worker_app.state.store.notifications.find_one({"user_email": email})
            return found if found is not None and found["email_status"] != "queued" else None

        document = await eventually(recorded)

    assert str(document["_id"]) == created["id"]
    assert document["email_status"] == "sent"
    assert document["email_attempts"] == 2
    assert document["claimed_by"] == worker_app.state.email_worker.worker_id
