"""Helpers for the notification-service tests: payloads, waiting, a served app, TLS files."""

import asyncio
import datetime
import ipaddress
import json
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any, TypeVar

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from websockets.asyncio.client import ClientConnection

from tests.harness.smtp import SmtpSink
from tests.utils.users import random_email
from tests.utils.waiting import eventually

T = TypeVar("T")


def booking_payload(user_email: str, **overrides: Any) -> dict[str, Any]:
    """A `booking_confirmed` notification: facts only, as booking-service sends it."""
    payload: dict[str, Any] = {
        "user_email": user_email,
        "kind": "booking_confirmed",
        "data": {
            "booking_id": "bk-7f3a9c",
            "event_id": "ev-42",
            "event_title": "Jazz Night",
            "starts_at": "2026-03-14T18:30:00Z",
            "timezone": "Europe/Paris",
            "venue": "Le Caveau",
            "city": "Paris",
            "tickets": 3,
            "unit_price": "30.00",
            "total_price": "90.00",
            "currency": "EUR",
        },
    }
    payload.update(overrides)
    return payload


async def store_queued(client: httpx.AsyncClient, headers: dict[str, str], count: int) -> list[str]:
    """Store `count` booking notifications for fresh recipients, their emails queued."""
    recipients = [random_email("queued") for _ in range(count)]
    responses = await asyncio.gather(
        *(
            client.post("/notifications", json=booking_payload(email), headers=headers)
            for email in recipients
        )
    )
    assert all(response.status_code == 201 for response in responses)
    return recipients


def generic_payload(user_email: str, **overrides: Any) -> dict[str, Any]:
    """A `generic` notification: the caller's own subject and body."""
    payload: dict[str, Any] = {
        "user_email": user_email,
        "kind": "generic",
        "subject": "Your tickets for Jazz Night",
        "body": "Your booking is confirmed. Enjoy the show!",
        "data": {"campaign": "spring", "links": ["https://example.com/a"]},
    }
    payload.update(overrides)
    return payload


async def post_notification(
    client: httpx.AsyncClient, headers: dict[str, str], payload: dict[str, Any]
) -> dict[str, Any]:
    response = await client.post("/notifications", json=payload, headers=headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def messages_to(sink: SmtpSink, address: str) -> list[EmailMessage]:
    return [message for message in sink.messages() if message["To"] == address]


async def wait_for_messages(sink: SmtpSink, address: str, count: int = 1) -> list[EmailMessage]:
    async def arrived() -> list[EmailMessage] | None:
        found = messages_to(sink, address)
        return found if len(found) >= count else None

    return await eventually(arrived)


async def stored(client: httpx.AsyncClient, headers: dict[str, str], email: str) -> list[Any]:
    response = await client.get(f"/notifications/{email}", headers=headers)
    assert response.status_code == 200, response.text
    notifications: list[Any] = response.json()
    return notifications


def ws_url(base_url: str, token: str | None = None) -> str:
    url = base_url.replace("http://", "ws://") + "/ws/notifications"
    return f"{url}?token={token}" if token is not None else url


async def next_message(
    socket: ClientConnection, kind: str = "notification", within: float = 5
) -> dict[str, Any]:
    """The next message of this kind, skipping others (heartbeats)."""
    async with asyncio.timeout(within):
        while True:
            message: dict[str, Any] = json.loads(await socket.recv())
            if message["type"] == kind:
                return message


@dataclass(frozen=True)
class TlsFiles:
    ca_file: Path
    cert_file: Path
    key_file: Path


def make_tls_files(directory: Path) -> TlsFiles:
    """A throwaway CA and a server certificate it signed for 127.0.0.1 and localhost."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test CA")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .add_extension(x509.ExtendedKeyUsage([x509.OID_SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    files = TlsFiles(directory / "ca.pem", directory / "server.pem", directory / "server.key")
    files.ca_file.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    files.cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    files.key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return files
