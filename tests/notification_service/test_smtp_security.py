"""Email over STARTTLS or implicit TLS, with a login, to a server with a certificate of our CA."""

import ssl
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from notification_service.config import NotificationSettings
from tests.harness.smtp import Security, run_smtp_sink
from tests.notification_service.helpers import (
    TlsFiles,
    booking_payload,
    generic_payload,
    make_tls_files,
    post_notification,
    wait_for_messages,
)
from tests.utils.asgi import running_client
from tests.utils.users import bearer, random_email
from tests.utils.waiting import eventually

LOGIN = ("mailer", "smtp secret")
# aiosmtpd takes only STARTTLS for TLS, so it warns about AUTH on an implicit TLS connection.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def _server_context(tls: TlsFiles) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tls.cert_file, tls.key_file)
    return context


async def _retried(client: httpx.AsyncClient, admin_token: str, email: str) -> Any:
    """The notification once its email was tried at least twice."""
    response = await client.get(f"/notifications/{email}", headers=bearer(admin_token))
    (notification,) = response.json()
    return notification if notification["email_attempts"] >= 2 else None


@pytest.mark.parametrize("security", ["starttls", "tls"])
async def test_delivery_over_tls_with_login_arrives(
    make_notification_settings: Callable[..., NotificationSettings],
    make_notification_app: Callable[[NotificationSettings], FastAPI],
    service_headers: dict[str, str],
    tmp_path: Path,
    security: Security,
) -> None:
    tls = make_tls_files(tmp_path)
    email = random_email()
    with run_smtp_sink(security=security, tls_context=_server_context(tls), login=LOGIN) as sink:
        settings = make_notification_settings(
            smtp_host="localhost",
            smtp_port=sink.port,
            smtp_security=security,
            smtp_ca_file=tls.ca_file,
            smtp_username=LOGIN[0],
            smtp_password=LOGIN[1],
        )
        async with running_client(make_notification_app(settings)) as client:
            await post_notification(client, service_headers, generic_payload(email))
            (message,) = await wait_for_messages(sink, email)

    assert message["Subject"] == "Your tickets for Jazz Night"


async def test_delivery_to_server_with_untrusted_certificate_is_retried_not_sent(
    make_notification_settings: Callable[..., NotificationSettings],
    make_notification_app: Callable[[NotificationSettings], FastAPI],
    service_headers: dict[str, str],
    admin_token: str,
    tmp_path: Path,
) -> None:
    tls = make_tls_files(tmp_path)
    email = random_email()
    with run_smtp_sink(security="starttls", tls_context=_server_context(tls)) as sink:
        # No SMTP_CA_FILE: the system's CAs do not know the test CA.
        settings = make_notification_settings(
            smtp_host="localhost", smtp_port=sink.port, smtp_security="starttls"
        )
        async with running_client(make_notification_app(settings)) as client:
            await post_notification(client, service_headers, booking_payload(email))

            notification = await eventually(lambda: _retried(client, admin_token, email))

    assert notification["email_status"] == "queued"
    assert "CERTIFICATE_VERIFY_FAILED" in notification["last_error"]
    assert sink.messages() == []


async def test_delivery_with_wrong_password_is_retried_not_sent(
    make_notification_settings: Callable[..., NotificationSettings],
    make_notification_app: Callable[[NotificationSettings], FastAPI],
    service_headers: dict[str, str],
    admin_token: str,
    tmp_path: Path,
) -> None:
    tls = make_tls_files(tmp_path)
    email = random_email()
    with run_smtp_sink(security="tls", tls_context=_server_context(tls), login=LOGIN) as sink:
        settings = make_notification_settings(
            smtp_host="localhost",
            smtp_port=sink.port,
            smtp_security="tls",
            smtp_ca_file=tls.ca_file,
            smtp_username=LOGIN[0],
            smtp_password="wrong",
        )
        async with running_client(make_notification_app(settings)) as client:
            await post_notification(client, service_headers, booking_payload(email))
            notification = await eventually(lambda: _retried(client, admin_token, email))

    assert notification["email_status"] == "queued"
    assert "535" in notification["last_error"]
    assert sink.messages() == []
