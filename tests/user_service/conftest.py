"""user-service under test: the real app on a fresh PostgreSQL database, through ASGI."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.harness.postgres import create_database, drop_database, unique_database_name
from tests.utils.asgi import running_client
from tests.utils.users import ADMIN_EMAIL, ADMIN_PASSWORD, TestUser, create_user, login
from user_service.config import UserSettings
from user_service.main import create_app

# Argon2 at a fraction of the production cost keeps the suite fast; production refuses this.
FAST_HASHING = {"password_hash_time_cost": 1, "password_hash_memory_kib": 1024}


@pytest.fixture(scope="session")
def user_database_url(postgres_admin_url: str) -> Iterator[str]:
    name = unique_database_name("users")
    url = create_database(postgres_admin_url, name)
    yield url
    drop_database(postgres_admin_url, name)


@pytest.fixture(scope="session")
def signing_key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("keys") / "signing-key.pem"


@pytest.fixture(scope="session")
def make_user_settings(user_database_url: str, signing_key_file: Path) -> Any:
    def make(**overrides: Any) -> UserSettings:
        values: dict[str, Any] = {
            "env": "test",
            "user_database_url": user_database_url,
            "jwt_dev_key_file": signing_key_file,
            "admin_email": ADMIN_EMAIL,
            "admin_password": ADMIN_PASSWORD,
            "log_json": True,
            **FAST_HASHING,
        }
        values.update(overrides)
        return UserSettings(**values)

    return make


@pytest.fixture(scope="session")
def user_app(make_user_settings: Any) -> FastAPI:
    return create_app(make_user_settings())


@pytest.fixture(scope="session")
async def client(user_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with running_client(user_app, "http://user-service") as asgi_client:
        yield asgi_client


@pytest.fixture(scope="session")
async def admin_token(client: httpx.AsyncClient) -> str:
    return await login(client, ADMIN_EMAIL, ADMIN_PASSWORD)


@pytest.fixture
async def user(client: httpx.AsyncClient) -> TestUser:
    return await create_user(client)


@pytest.fixture
async def other_user(client: httpx.AsyncClient) -> TestUser:
    return await create_user(client)


@pytest.fixture
async def organizer(client: httpx.AsyncClient, admin_token: str) -> TestUser:
    return await create_user(client, role="organizer", admin_token=admin_token)
