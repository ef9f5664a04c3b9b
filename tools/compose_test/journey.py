"""The booking journey a person makes, through the gateway, against the running compose stack."""

import asyncio
import json
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import httpx
import websockets

T = TypeVar("T")
READY_TIMEOUT = 300.0


def _until(check: Callable[[], T | None], *, within: float, what: str) -> T:
    deadline = time.monotonic() + within
    last: object = None
    while time.monotonic() < deadline:
        try:
            result = check()
        except httpx.HTTPError as exc:
            result, last = None, exc
        if result is not None:
            return result
        time.sleep(1)
    raise AssertionError(f"{what}: not within {within:.0f}s (last: {last!r})")


def wait_until_ready(gateway: str) -> None:
    with httpx.Client(timeout=5) as client:
        for service in ("users", "events", "bookings", "notifications"):
            url = f"{gateway}/api/{service}/readyz"
            _until(
                lambda url=url: client.get(url).status_code == 200 or None,  # type: ignore[misc]
                within=READY_TIMEOUT,
                what=f"{service} ready through the gateway",
            )
        page = _until(
            lambda: client.get(f"{gateway}/") if client.get(f"{gateway}/").is_success else None,
            within=60,
            what="the app's page",
        )
        assert '<div id="root">' in page.text, "the gateway serves the browser app"


async def _first_live_message(gateway: str, token: str) -> dict[str, Any]:
    url = gateway.replace("http", "ws", 1) + "/api/notifications/ws/notifications"
    async with websockets.connect(url, subprotocols=["bearer", token]) as socket:  # type: ignore[list-item]
        message: dict[str, Any] = json.loads(await asyncio.wait_for(socket.recv(), 10))
        return message


def run_journey(*, gateway: str, mailpit: str, organizer: tuple[str, str]) -> list[str]:
    """Register, log in, create an event as the organizer, book, see notification and email."""
    steps = []
    email = f"journey-{uuid.uuid4().hex[:8]}@example.com"
    password = "journey password"
    with httpx.Client(base_url=gateway, timeout=15) as client:
        registered = client.post(
            "/api/users/register",
            json={"email": email, "password": password, "full_name": "Journey Person"},
        )
        assert registered.status_code == 201, registered.text
        steps.append(f"registered {email}")
        token = client.post("/api/users/login", json={"email": email, "password": password})
        user = {"Authorization": f"Bearer {token.json()['access_token']}"}
        steps.append("logged in")
        organizer_login = client.post(
            "/api/users/login", json={"email": organizer[0], "password": organizer[1]}
        )
        assert organizer_login.status_code == 200, organizer_login.text
        organizer_auth = {"Authorization": f"Bearer {organizer_login.json()['access_token']}"}
        starts = datetime.now(UTC) + timedelta(days=10)
        event = client.post(
            "/api/events/events",
            json={
                "title": "Compose Journey Concert",
                "venue": "Gateway Hall",
                "city": "Lisbon",
                "timezone": "Europe/Lisbon",
                "category": "concert",
                "starts_at": starts.isoformat(),
                "total_tickets": 50,
                "price": "20.00",
                "currency": "EUR",
            },
            headers=organizer_auth,
        )
        assert event.status_code == 201, event.text
        event_id = event.json()["id"]
        steps.append(f"organizer created event {event_id}")
        live = asyncio.run(_first_live_message(gateway, token.json()["access_token"]))
        assert live["type"] == "subscribed", live
        steps.append("live notifications socket opened through the gateway")
        booking = client.post(
            "/api/bookings/bookings",
            json={"event_id": event_id, "tickets": 2},
            headers={**user, "Idempotency-Key": uuid.uuid4().hex},
        )
        assert booking.status_code == 201, booking.text
        assert booking.json()["status"] == "confirmed"
        steps.append(f"booked 2 tickets: booking {booking.json()['id']}")
        left = client.get(f"/api/events/events/{event_id}").json()["available_tickets"]
        assert left == 48, left

        def notified() -> list[Any] | None:
            inbox = client.get(f"/api/notifications/notifications/{email}", headers=user).json()
            return inbox if inbox and inbox[0]["kind"] == "booking_confirmed" else None

        inbox = _until(notified, within=60, what="the in-app notification")
        steps.append(f"in-app notification: {inbox[0]['subject']}")

    def emailed() -> dict[str, Any] | None:
        listed = httpx.get(f"{mailpit}/api/v1/messages", timeout=5).json()["messages"]
        mine = [m for m in listed if any(to["Address"] == email for to in m["To"])]
        return mine[0] if mine else None

    message = _until(emailed, within=90, what="the confirmation email")
    steps.append(f"email received: {message['Subject']}")
    steps.extend(check_gateway_protections(gateway))
    return steps


def check_gateway_protections(gateway: str) -> list[str]:
    """Security headers, the body size limit and the rate limit on logins."""
    with httpx.Client(base_url=gateway, timeout=15) as client:
        page = client.get("/events")
        assert page.status_code == 200, "client-side routes are answered with the app"
        assert page.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert page.headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert "server" not in page.headers or "/" not in page.headers["server"]
        huge = client.post(
            "/api/users/register",
            content=b"x" * (2 * 1024 * 1024),
            headers={"content-type": "application/json"},
        )
        assert huge.status_code == 413, huge.status_code
        wrong = {"email": "nobody@example.com", "password": "wrong password"}
        statuses = [client.post("/api/users/login", json=wrong) for _ in range(12)]
        limited = [answer for answer in statuses if answer.status_code == 429]
        assert limited, [answer.status_code for answer in statuses]
        assert limited[0].headers["retry-after"] == "60"
        assert limited[0].headers["content-type"] == "application/problem+json"
    return [
        "security headers on the app",
        "2 MB body refused with 413",
        f"login rate limit: {len(limited)} of 12 rapid attempts answered 429 with Retry-After",
    ]
