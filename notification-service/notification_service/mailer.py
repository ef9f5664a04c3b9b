"""Sending one email over SMTP (aiosmtplib), with failures sorted into retry or give up."""

import asyncio
import socket
import ssl
from email.message import EmailMessage

import aiosmtplib

from notification_service.config import NotificationSettings, SmtpSecurity

MAX_ERROR_CHARS = 500


class DeliveryError(Exception):
    """The email was not accepted; `permanent` when trying again cannot help."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message[:MAX_ERROR_CHARS])
        self.permanent = permanent


def _is_permanent(exc: aiosmtplib.SMTPException) -> bool:
    """The server refused this message or recipient for good (a 5xx reply to RCPT or DATA).

    Refusals of the connection, the sender or the login are the platform's problem, not the
    message's: those are retried, so the email goes out once the configuration is fixed.
    """
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        return all(500 <= refused.code < 600 for refused in exc.recipients)
    if isinstance(exc, aiosmtplib.SMTPRecipientRefused | aiosmtplib.SMTPDataError):
        return 500 <= exc.code < 600
    return False


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class SmtpMailer:
    def __init__(self, settings: NotificationSettings) -> None:
        self.host = settings.smtp_host
        self.port = settings.smtp_port
        self.security = settings.smtp_security
        self.username = settings.smtp_username
        self.password = (
            settings.smtp_password.get_secret_value() if settings.smtp_password else None
        )
        self.timeout = settings.smtp_timeout_seconds
        self.sender = settings.sender_address
        self.tls_context: ssl.SSLContext | None = None
        self.local_hostname: str | None = None
        if self.security != SmtpSecurity.NONE:
            cafile = str(settings.smtp_ca_file) if settings.smtp_ca_file else None
            self.tls_context = ssl.create_default_context(cafile=cafile)

    async def send(self, message: EmailMessage, *, recipient: str) -> None:
        if self.local_hostname is None:
            # The name EHLO gives: looked up once, not by aiosmtplib in a thread for every email.
            self.local_hostname = await asyncio.to_thread(socket.getfqdn)
        try:
            await aiosmtplib.send(
                message,
                sender=self.sender,
                recipients=[recipient],
                hostname=self.host,
                port=self.port,
                username=self.username,
                password=self.password,
                use_tls=self.security == SmtpSecurity.TLS,
                start_tls=self.security == SmtpSecurity.STARTTLS,
                tls_context=self.tls_context,
                timeout=self.timeout,
                local_hostname=self.local_hostname,
            )
        except aiosmtplib.SMTPException as exc:
            raise DeliveryError(_describe(exc), permanent=_is_permanent(exc)) from exc
        except (OSError, TimeoutError) as exc:
            raise DeliveryError(_describe(exc), permanent=False) from exc
