"""A real SMTP server that keeps every message it accepts, for tests and development.

``run_smtp_sink()`` starts an aiosmtpd server (in its own thread) on 127.0.0.1 and yields an
``SmtpSink``: each accepted message is written as an ``.eml`` file (with ``X-Envelope-From`` and
``X-Envelope-To`` headers recording the SMTP envelope) and ``messages()`` parses them back.
Optionally it speaks STARTTLS or implicit TLS, requires a login, or refuses some recipients.

For development (what ``SMTP_HOST=localhost SMTP_PORT=1025`` expects)::

    uv run python -m tests.harness.smtp --port 1025 --dir .data/mail
"""

import argparse
import asyncio
import email
import email.policy
import itertools
import logging
import os
import ssl
import tempfile
import threading
import time
from collections.abc import Collection, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Literal

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from . import HarnessError
from .ports import free_port

PORT_ATTEMPTS = 3
# aiosmtpd logs every SMTP command at INFO.
logging.getLogger("mail.log").setLevel(logging.WARNING)
Security = Literal["none", "starttls", "tls"]


@dataclass(frozen=True)
class SmtpSink:
    host: str
    port: int
    directory: Path
    handler: "_KeepMessages" = field(repr=False, compare=False)

    @contextmanager
    def refusing(self) -> Iterator[None]:
        """Refuse every message for the block with a temporary failure (451, as a greylisting
        or overloaded server does), then accept mail again, even if the block fails."""
        self.handler.refusing = True
        try:
            yield
        finally:
            self.handler.refusing = False

    @contextmanager
    def holding(self) -> Iterator[threading.Event]:
        """Hold every message at the end of DATA for the block (its sender waits for the
        answer); the event yielded is set once one is held. At the block's end they are
        accepted, even if the block fails."""
        self.handler.held = threading.Event()
        self.handler.gate = threading.Event()
        try:
            yield self.handler.held
        finally:
            self.handler.gate.set()
            self.handler.gate = None

    @property
    def refused(self) -> int:
        """How many recipients were refused while ``refusing``."""
        return self.handler.refused

    def messages(self) -> list[EmailMessage]:
        """Every message accepted so far, oldest first."""
        messages = []
        for path in sorted(self.directory.glob("*.eml")):
            parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            assert isinstance(parsed, EmailMessage)
            messages.append(parsed)
        return messages


class _KeepMessages:
    """aiosmtpd handler: refuse the listed recipients, store everything else."""

    def __init__(self, directory: Path, refuse: Collection[str]) -> None:
        self.directory = directory
        self.refuse = {address.lower() for address in refuse}
        self.sequence = itertools.count(1)
        self.lock = threading.Lock()
        self.refusing = False
        self.refused = 0
        self.gate: threading.Event | None = None
        self.held = threading.Event()

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if self.refusing:
            self.refused += 1
            return "451 4.3.0 Mail refused for now, try again later"
        if address.lower() in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        gate = self.gate
        if gate is not None:
            self.held.set()
            await asyncio.to_thread(gate.wait)  # set from the test's thread
        content = envelope.original_content or b""
        trace = (
            f"X-Envelope-From: {envelope.mail_from}\r\n"
            f"X-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n"
        ).encode()
        with self.lock:
            name = f"{time.time_ns():020d}-{next(self.sequence):06d}.eml"
        partial = self.directory / f".{name}.partial"
        partial.write_bytes(trace + content)
        os.replace(partial, self.directory / name)  # readers never see half a message
        return "250 2.0.0 Message accepted"


def _authenticator(username: str, password: str) -> Any:
    def authenticate(
        server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == username.encode()
            and auth_data.password == password.encode()
        )
        return AuthResult(success=ok, handled=False)  # aiosmtpd answers 535 on failure

    return authenticate


@contextmanager
def run_smtp_sink(
    *,
    directory: Path | None = None,
    port: int | None = None,
    host: str = "127.0.0.1",
    security: Security = "none",
    tls_context: ssl.SSLContext | None = None,
    login: tuple[str, str] | None = None,
    refuse: Collection[str] = (),
) -> Iterator[SmtpSink]:
    """Serve SMTP on ``host:port`` (a free port if None) until the block ends.

    Messages go to ``directory`` (a temporary one, removed afterwards, if None). With
    ``security`` other than "none", ``tls_context`` is the server's; ``login`` makes AUTH
    mandatory; ``refuse`` lists recipients answered with 550.
    """
    if security != "none" and tls_context is None:
        raise HarnessError(f"an SMTP sink with security={security} needs a tls_context")
    with ExitStack() as stack:
        if directory is None:
            directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="smtp-")))
        directory.mkdir(parents=True, exist_ok=True)
        options: dict[str, Any] = {"hostname": host}
        if security == "tls":
            options["ssl_context"] = tls_context
        elif security == "starttls":
            options.update(tls_context=tls_context, require_starttls=True)
        if login is not None:
            options.update(
                auth_required=True,
                # aiosmtpd recognises STARTTLS only; implicit TLS is encrypted from the start.
                auth_require_tls=security == "starttls",
                authenticator=_authenticator(*login),
            )
        handler = _KeepMessages(directory, refuse)
        attempts = 1 if port is not None else PORT_ATTEMPTS
        for _ in range(attempts):
            chosen = port if port is not None else free_port()
            controller = Controller(handler, port=chosen, **options)
            try:
                controller.start()
            except OSError as exc:
                if port is not None:
                    raise HarnessError(f"SMTP sink: cannot listen on {host}:{port}: {exc}") from exc
                continue
            stack.callback(controller.stop)
            yield SmtpSink(host=host, port=chosen, directory=directory, handler=handler)
            return
        raise HarnessError(f"SMTP sink: {attempts} free ports were taken before it bound")


def main() -> None:
    parser = argparse.ArgumentParser(description="An SMTP server that keeps mail as .eml files.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1025)
    parser.add_argument("--dir", type=Path, default=Path(".data/mail"), dest="directory")
    args = parser.parse_args()
    with run_smtp_sink(directory=args.directory, port=args.port, host=args.host) as sink:
        print(f"SMTP sink on {sink.host}:{sink.port}, keeping mail in {sink.directory}/")
        with suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
