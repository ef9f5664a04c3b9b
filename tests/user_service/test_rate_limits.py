"""Rate limits on registration, service tokens and password checks, counted in the database.

Each test runs two user-service replicas on the session's database with strict limits, and calls
from addresses of its own (so the rest of the session, all from 127.0.0.1, is not counted).
"""

import secrets
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.utils.asgi import client_of
from tests.utils.users import DEFAULT_PASSWORD, assert_problem, bearer, random_email
from user_service.config import UserSettings
from user_service.main import create_app
from user_service.rate_limit import RateLimit
from user_service.service.throttling import client_key

SECRET = "a-test-client-secret-of-some-length"


def an_address() -> str:
    """An address of the benchmarking range (RFC 2544), new to the database."""
    return f"198.18.{secrets.randbelow(256)}.{secrets.randbelow(254) + 1}"


@dataclass
class Replicas:
    first: FastAPI
    second: FastAPI
    client_id: str

    def client(self, replica: int = 0, address: str | None = None) -> Any:
        app = self.first if replica == 0 else self.second
        return client_of(app, address=address or an_address())


@pytest.fixture
async def replicas(make_user_settings: Callable[..., UserSettings]) -> AsyncIterator[Replicas]:
    client_id = f"client-{uuid.uuid4().hex[:8]}"
    strict = {
        "registration_limit": "3/hour",
        "token_failure_limit_per_address": "3/15min",
        "token_failure_limit_per_client": "4/15min",
        "password_check_limit": "3/15min",
        "service_clients": f"{client_id}:{SECRET},other-{client_id}:{SECRET}",
    }
    first = create_app(make_user_settings(**strict))
    second = create_app(make_user_settings(**strict))
    async with first.router.lifespan_context(first), second.router.lifespan_context(second):
        yield Replicas(first, second, client_id)


async def _register(client: httpx.AsyncClient, email: str | None = None) -> httpx.Response:
    return await client.post(
        "/register",
        json={"email": email or random_email(), "password": DEFAULT_PASSWORD, "full_name": "R"},
    )


def _assert_limited(response: httpx.Response, *, at_most: timedelta) -> None:
    body = assert_problem(response, 429)
    assert body["type"] == "urn:event-booking:problem:rate-limited"
    assert 0 < int(response.headers["retry-after"]) <= at_most.total_seconds()


async def test_registrations_from_one_address_are_limited_on_every_replica(
    replicas: Replicas,
) -> None:
    address = an_address()
    async with replicas.client(0, address) as first, replicas.client(1, address) as second:
        assert (await _register(first)).status_code == 201
        assert (await _register(second)).status_code == 201
        # A refused email counts too: the limit is on attempts, not on accounts made.
        assert (await _register(first, email="admin@example.com")).status_code == 409

        _assert_limited(await _register(second), at_most=timedelta(hours=1))
        _assert_limited(await _register(first), at_most=timedelta(hours=1))

    async with replicas.client(1) as elsewhere:
        assert (await _register(elsewhere)).status_code == 201


def _token_request(client_id: str, secret: str) -> dict[str, str]:
    return {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}


async def test_token_failures_from_one_address_lock_it_even_for_the_right_secret(
    replicas: Replicas,
) -> None:
    address, client_id = an_address(), replicas.client_id
    async with replicas.client(0, address) as first, replicas.client(1, address) as second:
        for client in (first, second, first):
            wrong = await client.post("/token", data=_token_request(client_id, "wrong"))
            assert_problem(wrong, 401)

        right = await second.post("/token", data=_token_request(client_id, SECRET))
        _assert_limited(right, at_most=timedelta(minutes=15))

    async with replicas.client(0) as elsewhere:
        answer = await elsewhere.post("/token", data=_token_request(client_id, SECRET))
        assert answer.status_code == 200


async def test_token_failures_for_one_client_lock_it_from_any_address(replicas: Replicas) -> None:
    client_id = replicas.client_id
    for attempt in range(4):
        async with replicas.client(attempt % 2) as client:
            wrong = await client.post("/token", data=_token_request(client_id, "wrong"))
            assert_problem(wrong, 401)

    async with replicas.client(1) as fresh_address:
        locked = await fresh_address.post("/token", data=_token_request(client_id, SECRET))
        other = await fresh_address.post(
            "/token", data=_token_request(f"other-{client_id}", SECRET)
        )
    _assert_limited(locked, at_most=timedelta(minutes=15))
    assert other.status_code == 200


async def _signed_in(client: httpx.AsyncClient) -> tuple[str, str]:
    email = random_email()
    assert (await _register(client, email)).status_code == 201
    response = await client.post("/login", json={"email": email, "password": DEFAULT_PASSWORD})
    return email, response.json()["access_token"]


def _password_change(current: str) -> dict[str, str]:
    return {"password": "a brand new password", "current_password": current}


async def test_wrong_current_passwords_lock_the_account_on_every_replica(
    replicas: Replicas,
) -> None:
    async with replicas.client(0) as first, replicas.client(1) as second:
        _, token = await _signed_in(first)
        for client in (first, second, first):
            wrong = await client.patch(
                "/users/me", json=_password_change("not my password"), headers=bearer(token)
            )
            assert_problem(wrong, 403)

        right = await second.patch(
            "/users/me", json=_password_change(DEFAULT_PASSWORD), headers=bearer(token)
        )
        _assert_limited(right, at_most=timedelta(minutes=15))
        # Only password changes are checked: the name can still change.
        renamed = await first.patch(
            "/users/me", json={"full_name": "Still Me"}, headers=bearer(token)
        )
        assert renamed.status_code == 200

        _, other_token = await _signed_in(second)
        other = await second.patch(
            "/users/me", json=_password_change(DEFAULT_PASSWORD), headers=bearer(other_token)
        )
        assert other.status_code == 200


async def test_the_right_current_password_clears_the_wrong_ones(replicas: Replicas) -> None:
    async with replicas.client(0) as client:
        email, token = await _signed_in(client)
        for _ in range(2):
            await client.patch("/users/me", json=_password_change("nope"), headers=bearer(token))
        changed = await client.patch(
            "/users/me", json=_password_change(DEFAULT_PASSWORD), headers=bearer(token)
        )
        assert changed.status_code == 200

        again = await client.post(
            "/login", json={"email": email, "password": "a brand new password"}
        )
        token = again.json()["access_token"]
        for _ in range(2):
            wrong = await client.patch(
                "/users/me", json=_password_change("nope"), headers=bearer(token)
            )
            assert_problem(wrong, 403)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10/15min", RateLimit(10, timedelta(minutes=15))),
        ("5/hour", RateLimit(5, timedelta(hours=1))),
        ("1000 / 1 day", RateLimit(1000, timedelta(days=1))),
        ("3/30s", RateLimit(3, timedelta(seconds=30))),
        ("7/2hours", RateLimit(7, timedelta(hours=2))),
    ],
)
def test_rate_limit_settings_read_as_people_write_them(text: str, expected: RateLimit) -> None:
    assert RateLimit.parse(text) == expected


@pytest.mark.parametrize("text", ["10", "ten/hour", "0/hour", "5/0min", "5/fortnight", ""])
def test_rate_limit_settings_that_make_no_sense_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"rate limit|at least 1"):
        RateLimit.parse(text)


def test_per_address_limits_are_strict_in_production_and_loose_elsewhere() -> None:
    safe: dict[str, Any] = {
        "env": "production",
        "jwt_private_key": "-----BEGIN PRIVATE KEY-----...",
        "service_clients": "booking-service:s3cr3t-from-vault",
        "user_database_url": "postgresql://u:p@db/users",
        "cors_origins": "https://tickets.example",
    }
    production = UserSettings(**safe)
    development = UserSettings(env="development")
    chosen = UserSettings(**safe, registration_limit="2/day")

    assert production.registration_limit == RateLimit(10, timedelta(hours=1))
    assert production.token_failure_limit_per_address == RateLimit(10, timedelta(minutes=15))
    assert production.token_failure_limit_per_client == RateLimit(30, timedelta(minutes=15))
    assert development.registration_limit == RateLimit(10_000, timedelta(hours=1))
    assert chosen.registration_limit == RateLimit(2, timedelta(days=1))


def test_a_client_is_its_address_or_for_ipv6_its_64() -> None:
    same_network = {client_key("2001:db8:1:2:aaaa::1"), client_key("2001:db8:1:2:ffff::9")}

    assert same_network == {"2001:db8:1:2::/64"}
    assert client_key("::ffff:198.18.0.1") == "198.18.0.1"
    assert client_key("198.18.0.1") == "198.18.0.1"
    assert client_key(None) == "unknown"
