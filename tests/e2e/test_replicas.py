"""Two replicas of event-, booking- and notification-service on the same stores, through a rush.

Each replica runs its own background work (ledger repair, booking recovery, outbox relay, email
worker); they claim it atomically, so nothing may be done twice: every ticket counted once,
every notification stored once, every email sent once.
"""

import asyncio
import random
import tempfile
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.bench.platform import COMMON
from tests.harness.postgres import create_database, drop_database, unique_database_name
from tests.harness.servers import run_uvicorn
from tests.harness.smtp import SmtpSink, run_smtp_sink
from tests.utils.waiting import eventually

ADMIN = {"email": "replicas-admin@example.com", "password": "replicas admin password"}
TICKETS = 60
BUYERS = 20
ATTEMPTS = 120
CANCELLATIONS = 8


class Replicated:
    def __init__(self, users: str, events: list[str], bookings: list[str], notes: list[str]):
        self.users, self.events, self.bookings, self.notes = users, events, bookings, notes


@pytest.fixture(scope="module")
def sink() -> Iterator[SmtpSink]:
    with run_smtp_sink() as running:
        yield running


@pytest.fixture(scope="module")
def replicated(postgres_admin_url: str, mongo_url: str, sink: SmtpSink) -> Iterator[Replicated]:
    with ExitStack() as stack:
        data = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        databases = {}
        for prefix in ("ru", "rb"):
            name = unique_database_name(prefix)
            databases[prefix] = create_database(postgres_admin_url, name)
            stack.callback(drop_database, postgres_admin_url, name)
        mongo_db = f"replicas_{uuid.uuid4().hex[:8]}"
        users = stack.enter_context(
            run_uvicorn(
                "user-service.app:app",
                env={
                    **COMMON,
                    "USER_DATABASE_URL": databases["ru"],
                    "JWT_DEV_KEY_FILE": str(data / "key.pem"),
                    "ADMIN_EMAIL": ADMIN["email"],
                    "ADMIN_PASSWORD": ADMIN["password"],
                },
            )
        )
        shared = {**COMMON, "USER_SERVICE_URL": users, "MONGO_URL": mongo_url}
        events = [
            stack.enter_context(
                run_uvicorn(
                    "event-service.app:app",
                    env={**shared, "EVENT_MONGO_DB": f"{mongo_db}_events"},
                )
            )
            for _ in range(2)
        ]
        notes = [
            stack.enter_context(
                run_uvicorn(
                    "notification-service.app:app",
                    env={
                        **shared,
                        "NOTIFICATION_MONGO_DB": f"{mongo_db}_notifications",
                        "SMTP_HOST": sink.host,
                        "SMTP_PORT": str(sink.port),
                        "EMAIL_POLL_SECONDS": "0.5",
                    },
                )
            )
            for _ in range(2)
        ]
        bookings = [
            stack.enter_context(
                run_uvicorn(
                    "booking-service.app:app",
                    env={
                        **shared,
                        # Each booking replica calls "its" event and notification replica.
                        "EVENT_SERVICE_URL": events[index],
                        "NOTIFICATION_SERVICE_URL": notes[index],
                        "BOOKING_DATABASE_URL": databases["rb"],
                        "OUTBOX_POLL_SECONDS": "0.5",
                        "RECOVERY_INTERVAL_SECONDS": "1",
                    },
                )
            )
            for index in range(2)
        ]
        yield Replicated(users, events, bookings, notes)


async def _token(client: httpx.AsyncClient, users: str, email: str, password: str) -> str:
    response = await client.post(f"{users}/login", json={"email": email, "password": password})
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


async def _buyers(client: httpx.AsyncClient, users: str) -> list[tuple[str, str]]:
    buyers = []
    for index in range(BUYERS):
        email = f"replica-buyer-{index}-{uuid.uuid4().hex[:6]}@example.com"
        body = {"email": email, "password": "buyer password", "full_name": "Buyer"}
        (await client.post(f"{users}/register", json=body)).raise_for_status()
        buyers.append((email, await _token(client, users, email, "buyer password")))
    return buyers


async def _rush(platform: Replicated) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=30) as client:
        admin = await _token(client, platform.users, ADMIN["email"], ADMIN["password"])
        auth = {"Authorization": f"Bearer {admin}"}
        created = await client.post(
            f"{platform.events[0]}/events",
            headers=auth,
            json={
                "title": "Replica Rush",
                "venue": "Two Halls",
                "total_tickets": TICKETS,
                "starts_at": "2099-06-01T19:00:00+00:00",
            },
        )
        created.raise_for_status()
        event_id = created.json()["id"]
        buyers = await _buyers(client, platform.users)
        rng = random.Random(7)
        gate = asyncio.Semaphore(24)

        async def attempt(index: int) -> httpx.Response:
            _, token = buyers[index % BUYERS]
            async with gate:
                return await client.post(
                    f"{platform.bookings[index % 2]}/bookings",
                    json={"event_id": event_id, "tickets": rng.randint(1, 3)},
                    headers={"Authorization": f"Bearer {token}"},
                )

        answers = await asyncio.gather(*(attempt(index) for index in range(ATTEMPTS)))
        confirmed = [answer.json() for answer in answers if answer.status_code == 201]
        assert {answer.status_code for answer in answers} <= {201, 409}
        to_cancel = confirmed[:CANCELLATIONS]
        tokens = dict(buyers)
        emails = {booking["user_id"]: booking["user_email"] for booking in confirmed}
        for index, booking in enumerate(to_cancel):
            cancelled = await client.post(
                f"{platform.bookings[(index + 1) % 2]}/bookings/{booking['id']}/cancel",
                headers={"Authorization": f"Bearer {tokens[emails[booking['user_id']]]}"},
            )
            assert cancelled.status_code == 200, cancelled.text
        return {
            "event_id": event_id,
            "confirmed": confirmed,
            "cancelled": to_cancel,
            "buyers": buyers,
            "admin": auth,
        }


async def test_two_replicas_of_each_service_do_nothing_twice_through_a_rush(
    replicated: Replicated, sink: SmtpSink
) -> None:
    outcome = await _rush(replicated)
    confirmed, cancelled = outcome["confirmed"], outcome["cancelled"]
    expected = {("booking_confirmed", booking["id"]) for booking in confirmed}
    expected |= {("booking_cancelled", booking["id"]) for booking in cancelled}

    async with httpx.AsyncClient(timeout=30, headers=outcome["admin"]) as client:
        event = (await client.get(f"{replicated.events[1]}/events/{outcome['event_id']}")).json()
        kept = sum(b["tickets"] for b in confirmed) - sum(b["tickets"] for b in cancelled)
        assert event["total_tickets"] - event["available_tickets"] == kept

        pending = await client.get(
            f"{replicated.bookings[1]}/bookings", params={"status": "pending"}
        )
        assert pending.headers["X-Total-Count"] == "0"

        async def stored() -> Counter[tuple[str, str]] | None:
            seen: Counter[tuple[str, str]] = Counter()
            for email, _ in outcome["buyers"]:
                inbox = await client.get(
                    f"{replicated.notes[0]}/notifications/{email}", params={"limit": 100}
                )
                for note in inbox.json():
                    seen[(note["kind"], note["data"]["booking_id"])] += 1
            return seen if set(seen) == expected else None

        notifications = await eventually(stored, within=60)
    assert all(count == 1 for count in notifications.values()), notifications

    def emails() -> Counter[str] | None:
        sent = Counter(str(message["X-Notification-Id"]) for message in sink.messages())
        return sent if sum(sent.values()) >= len(expected) else None

    async def emailed() -> Counter[str] | None:
        return emails()

    sent = await eventually(emailed, within=60)
    await asyncio.sleep(2)  # a second worker sending the same email again would show by now
    sent = emails() or sent
    assert len(sent) == len(expected)
    assert all(count == 1 for count in sent.values()), sent
