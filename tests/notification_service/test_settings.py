"""notification-service settings: environment names, sanity checks, production refusals."""

from typing import Any

import pytest
from pydantic import ValidationError

from notification_service.config import NotificationSettings, PushMode, SmtpSecurity

SAFE_PRODUCTION: dict[str, Any] = {
    "env": "production",
    "service_client_secret": "a real secret",
    "mongo_url": "mongodb://mongo.internal:27017/?replicaSet=rs0",
    "smtp_host": "smtp.mailer.example.net",
    "smtp_port": 587,
    "smtp_security": "starttls",
    "smtp_username": "mailer",
    "smtp_password": "smtp password",
    "smtp_from": "Event Booking <tickets@events.acme.io>",
    "app_url": "https://events.acme.io",
}


def test_settings_read_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONGO_URL", "mongodb://db.internal:27017")
    monkeypatch.setenv("NOTIFICATION_MONGO_DB", "inbox")
    monkeypatch.setenv("SMTP_HOST", "mail.internal")
    monkeypatch.setenv("SMTP_PORT", "465")
    monkeypatch.setenv("SMTP_SECURITY", "tls")
    monkeypatch.setenv("WS_PUSH_MODE", "poll")
    monkeypatch.setenv("EMAIL_MAX_ATTEMPTS", "7")

    settings = NotificationSettings()

    assert settings.service_name == "notification-service"
    assert settings.mongo_url == "mongodb://db.internal:27017"
    assert settings.notification_mongo_db == "inbox"
    assert (settings.smtp_host, settings.smtp_port) == ("mail.internal", 465)
    assert settings.smtp_security == SmtpSecurity.TLS
    assert settings.ws_push_mode == PushMode.POLL
    assert settings.email_max_attempts == 7


def test_settings_defaults_work_on_one_machine() -> None:
    settings = NotificationSettings()

    assert settings.mongo_url == "mongodb://localhost:27017"
    assert settings.notification_mongo_db == "notifications"
    assert (settings.smtp_host, settings.smtp_port) == ("localhost", 1025)
    assert settings.sender_address == "no-reply@localhost"


@pytest.mark.parametrize(
    ("values", "complaint"),
    [
        ({"smtp_username": "mailer"}, "SMTP_USERNAME and SMTP_PASSWORD"),
        ({"smtp_from": "nobody"}, "SMTP_FROM"),
        ({"smtp_timeout_seconds": 30, "email_lease_seconds": 60}, "EMAIL_LEASE_SECONDS"),
        ({"ws_push_mode": "sometimes"}, "ws_push_mode"),
    ],
)
def test_settings_inconsistent_values_are_refused(values: dict[str, Any], complaint: str) -> None:
    with pytest.raises(ValidationError) as error:
        NotificationSettings(**values)

    assert complaint in str(error.value)


def test_production_accepts_safe_settings() -> None:
    settings = NotificationSettings(**SAFE_PRODUCTION)

    assert settings.sender_domain == "events.acme.io"


def test_production_refuses_development_mail_and_store_settings() -> None:
    with pytest.raises(ValidationError) as error:
        NotificationSettings(env="production", service_client_secret="a real secret")

    message = str(error.value)
    assert "MONGO_URL points at localhost" in message
    assert "SMTP_FROM uses the development domain localhost" in message
    assert "APP_URL points at localhost" in message


def test_production_refuses_unencrypted_smtp_to_another_host() -> None:
    with pytest.raises(ValidationError) as error:
        NotificationSettings(**{**SAFE_PRODUCTION, "smtp_security": "none"})

    assert "SMTP_SECURITY=none" in str(error.value)


def test_production_allows_unencrypted_smtp_to_a_local_relay() -> None:
    values = {**SAFE_PRODUCTION, "smtp_security": "none", "smtp_host": "127.0.0.1"}
    values.pop("smtp_username")
    values.pop("smtp_password")

    assert NotificationSettings(**values).smtp_security == SmtpSecurity.NONE
