import hashlib
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from service_kit.logging import JsonFormatter
from tests.harness.postgres import create_database, drop_database, unique_database_name
from tests.utils.asgi import running_client
from tests.utils.sql_faults import refused_writes
from tests.utils.users import bearer, random_email
from user_service.main import create_app


def _log_lines(caplog: pytest.LogCaptureFixture) -> str:
    formatter = JsonFormatter("user-service")
    return "\n".join(formatter.format(record) for record in caplog.records)


async def test_logs_never_contain_passwords_hashes_or_tokens(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, signing_key_file: object
) -> None:
    caplog.set_level(logging.DEBUG)
    email, password = random_email(), "very secret password 42"
    await client.post("/register", json={"email": email, "password": password, "full_name": "L"})
    await client.post("/register", json={"email": "bad", "password": password, "full_name": ""})
    login = await client.post("/login", json={"email": email, "password": password})
    await client.post("/login", json={"email": email, "password": password + "x"})
    token = login.json()["access_token"]
    await client.get("/users/me", headers={"Authorization": f"Bearer {token}"})
    await client.post(
        "/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "booking-service",
            "client_secret": "dev-booking-service-secret",
        },
    )

    lines = _log_lines(caplog)
    assert "POST /login" in lines
    for secret in (password, "$argon2", token, "dev-booking-service-secret", "PRIVATE KEY"):
        assert secret not in lines


@pytest.fixture
def own_database_url(postgres_admin_url: str) -> Iterator[str]:
    name = unique_database_name("users_errors")
    yield create_database(postgres_admin_url, name)
    drop_database(postgres_admin_url, name)


@pytest.fixture
async def own_client(
    make_user_settings: Any, own_database_url: str
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_user_settings(user_database_url=own_database_url))
    async with running_client(app, "http://users.errors") as client:
        yield client


async def test_database_errors_log_no_passwords_hashes_or_tokens(
    own_client: httpx.AsyncClient, own_database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    email, password, new_password = random_email(), "first secret words", "second secret words"
    registered = await own_client.post(
        "/register", json={"email": email, "password": password, "full_name": "Ada"}
    )
    assert registered.status_code == 201, registered.text
    tokens = (await own_client.post("/login", json={"email": email, "password": password})).json()
    access, refresh = tokens["access_token"], tokens["refresh_token"]
    caplog.clear()
    caplog.set_level(logging.DEBUG)

    with refused_writes(own_database_url, "users", "refresh_tokens"):
        failed = [
            await own_client.post(
                "/register", json={"email": random_email(), "password": password, "full_name": "B"}
            ),
            await own_client.patch(
                "/users/me",
                json={"password": new_password, "current_password": password},
                headers=bearer(access),
            ),
            await own_client.post("/refresh", json={"refresh_token": refresh}),
            await own_client.post("/login", json={"email": email, "password": password}),
        ]

    assert [response.status_code for response in failed] == [500] * 4
    lines = _log_lines(caplog)
    assert "hide_parameters=True" in lines  # the statements' errors were logged, without values
    refresh_hash = hashlib.sha256(refresh.encode()).hexdigest()
    for secret in (password, new_password, "$argon2", access, refresh, refresh_hash, email):
        assert secret not in lines
