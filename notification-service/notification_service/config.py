import ipaddress
from email.utils import parseaddr
from enum import StrEnum
from pathlib import Path

from pydantic import Field, SecretStr, model_validator

from service_kit.settings import MongoServiceSettings


class SmtpSecurity(StrEnum):
    NONE = "none"
    STARTTLS = "starttls"
    TLS = "tls"


class PushMode(StrEnum):
    AUTO = "auto"
    CHANGE_STREAM = "change_stream"
    POLL = "poll"


DEV_SENDER_DOMAINS = ("localhost", "example.com", "example.org", "example.net")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class NotificationSettings(MongoServiceSettings):
    service_name: str = "notification-service"
    notification_mongo_db: str = Field(
        default="notifications", description="Database of notification-service."
    )

    email_enabled: bool = Field(
        default=True, description="Send email at all; when off, notifications are `disabled`."
    )
    smtp_host: str = "localhost"
    smtp_port: int = Field(default=1025, ge=1, le=65535)
    smtp_security: SmtpSecurity = Field(
        default=SmtpSecurity.NONE, description="`none`, `starttls` or `tls` (implicit TLS)."
    )
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_ca_file: Path | None = Field(
        default=None, description="CA bundle that verifies the SMTP server (else the system's)."
    )
    smtp_timeout_seconds: float = Field(default=10, gt=0)
    smtp_from: str = Field(
        default="Event Booking <no-reply@localhost>", description="The From of every email."
    )
    app_url: str = Field(
        default="http://localhost:5173", description="The browser app, linked from emails."
    )

    email_worker_enabled: bool = Field(
        default=True, description="Run the delivery worker in this process."
    )
    email_worker_concurrency: int = Field(default=4, ge=1, le=64)
    email_poll_seconds: float = Field(
        default=5, gt=0, description="How often the worker looks for due email when idle."
    )
    email_max_attempts: int = Field(default=5, ge=1, le=100)
    email_retry_base_seconds: float = Field(
        default=30, gt=0, description="First retry delay; doubled on each further failure."
    )
    email_retry_max_seconds: float = Field(default=3600, gt=0)
    email_lease_seconds: float = Field(
        default=120,
        gt=0,
        description="How long a worker holds a claimed email before others may take it over.",
    )

    ws_push_mode: PushMode = Field(
        default=PushMode.AUTO,
        description="`change_stream`, `poll`, or `auto` (change streams when the store has them).",
    )
    ws_poll_seconds: float = Field(default=1, gt=0)
    ws_heartbeat_seconds: float = Field(default=25, gt=0)
    ws_max_sockets_per_user: int = Field(
        default=10,
        ge=1,
        description="Live sockets one user may hold on one process; the newest past it is "
        "closed with 4429.",
    )

    max_request_bytes: int = Field(
        default=64 * 1024, ge=1024, description="Notifications are small: a tighter limit."
    )

    @model_validator(mode="after")
    def check_smtp(self) -> "NotificationSettings":
        if (self.smtp_username is None) != (self.smtp_password is None):
            raise ValueError("set SMTP_USERNAME and SMTP_PASSWORD together")
        if "@" not in parseaddr(self.smtp_from)[1]:
            raise ValueError("SMTP_FROM must hold an email address")
        if self.email_lease_seconds <= 2 * self.smtp_timeout_seconds:
            raise ValueError("EMAIL_LEASE_SECONDS must exceed twice SMTP_TIMEOUT_SECONDS")
        self.app_url = self.app_url.rstrip("/")
        return self

    @property
    def sender_address(self) -> str:
        return parseaddr(self.smtp_from)[1]

    @property
    def sender_domain(self) -> str:
        return self.sender_address.rpartition("@")[2].lower()

    def unsafe_production_settings(self) -> list[str]:
        problems = super().unsafe_production_settings()
        if self.mongo_url.startswith("mongodb://localhost"):
            problems.append("MONGO_URL points at localhost; set the production MongoDB")
        if self.smtp_security == SmtpSecurity.NONE and not _is_loopback(self.smtp_host):
            problems.append(
                "SMTP_SECURITY=none would send mail (and any SMTP password) unencrypted "
                "across the network; use starttls or tls"
            )
        domain = self.sender_domain
        if any(domain == dev or domain.endswith("." + dev) for dev in DEV_SENDER_DOMAINS):
            problems.append(f"SMTP_FROM uses the development domain {domain}")
        if self.app_url.startswith(("http://localhost", "http://127.0.0.1")):
            problems.append("APP_URL points at localhost; emails would link to nowhere")
        return problems
