"""The four services as real processes on the session's stores, and who the fuzzer plays.

`FUZZ_MAX_EXAMPLES` (default 15) sets the requests per operation and kind, for a deeper run by
hand: `FUZZ_MAX_EXAMPLES=200 uv run pytest tests/fuzz`.
"""

import os
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.stack import ADMIN, run_stack
from tests.utils.events import event_body
from tests.utils.fuzz import SERVICES, Platform
from tests.utils.users import DEFAULT_PASSWORD, bearer, random_email

DEFAULT_MAX_EXAMPLES = 15


@pytest.fixture(scope="session")
def fuzz_max_examples() -> int:
    return int(os.environ.get("FUZZ_MAX_EXAMPLES", DEFAULT_MAX_EXAMPLES))


# Module scope: the processes stop when the fuzz tests are done, not at the end of the session.
@pytest.fixture(scope="module")
def fuzz_stack(postgres_admin_url: str, mongo_url: str) -> Iterator[dict[str, Any]]:
    with run_stack(
        ["http://127.0.0.1:4173"],
        postgres_admin_url=postgres_admin_url,
        mongo_url=mongo_url,
        access_token_seconds=3600,
        # The fuzzer judges answers to input, not the store's speed: a SecantusDB slowed past
        # the production 1.5 s by a loaded test machine must not turn into 503s.
        env={"MONGO_TIMEOUT_SECONDS": "15"},
    ) as stack:
        yield stack


def _token(client: httpx.Client, email: str, password: str) -> str:
    response = client.post("/login", json={"email": email, "password": password})
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


def _service_token(client: httpx.Client, client_id: str) -> str:
    response = client.post(
        "/token",
        data={
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": f"dev-{client_id}-secret",
        },
    )
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


def _created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture(scope="module")
def fuzz_platform(fuzz_stack: dict[str, Any]) -> Platform:
    """A user with an event booked and a notification, a service and the admin; their tokens,
    and the user's ids."""
    urls = {name: str(fuzz_stack[name]) for name in SERVICES}
    email = random_email("fuzz")
    with httpx.Client(base_url=urls["users"], trust_env=False) as users:
        person = _created(
            users.post(
                "/register",
                json={"email": email, "password": DEFAULT_PASSWORD, "full_name": "Fuzz Tester"},
            )
        )
        user = bearer(_token(users, email, DEFAULT_PASSWORD))
        admin = bearer(_token(users, ADMIN["email"], ADMIN["password"]))
        service = bearer(_service_token(users, "booking-service"))
    with httpx.Client(trust_env=False, timeout=30) as client:
        event = _created(
            client.post(
                f"{urls['events']}/events", json=event_body(total_tickets=10_000), headers=admin
            )
        )
        booking = _created(
            client.post(
                f"{urls['bookings']}/bookings",
                json={"event_id": event["id"], "tickets": 1},
                headers=user,
            )
        )
        notification = _created(
            client.post(
                f"{urls['notifications']}/notifications",
                json={"user_email": email, "kind": "generic", "subject": "Hi", "body": "Hello"},
                headers=admin,
            )
        )
    return Platform(
        urls=urls,
        callers={"anonymous": {}, "user": user, "service": service, "admin": admin},
        known={
            "user_id": person["id"],
            "user_email": email,
            "event_id": event["id"],
            "booking_id": booking["id"],
            "notification_id": notification["id"],
        },
    )
