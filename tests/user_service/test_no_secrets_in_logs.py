import logging

import httpx
import pytest

from service_kit.logging import JsonFormatter
from tests.utils.users import random_email


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

    formatter = JsonFormatter("user-service")
    lines = "\n".join(formatter.format(record) for record in caplog.records)
    assert "POST /login" in lines
    for secret in (password, "$argon2", token, "dev-booking-service-secret", "PRIVATE KEY"):
        assert secret not in lines
