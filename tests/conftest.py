"""The real-store harness: every test session gets fresh databases on real servers.

PostgreSQL and the MongoDB-compatible server are found or started once per session (see
`tests/harness`). user-service runs in-process for the whole session, since every other
service verifies its tokens; `platform_transport` lets another service's HTTP client reach it
(and any other in-process service) at its usual `http://localhost:800x` address.
"""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.harness import HarnessError
from tests.harness.mongo import provide_mongo
from tests.harness.postgres import (
    create_database,
    drop_database,
    provide_postgres,
    unique_database_name,
)
from tests.utils.asgi import running_client
from tests.utils.routing import RoutingTransport
from tests.utils.users import ADMIN_EMAIL, ADMIN_PASSWORD, TestUser, create_user, login
from user_service.config import UserSettings
from user_service.main import create_app as create_user_app

pytest_plugins = [
    "tests.fixtures.events",
    "tests.fixtures.notifications",
    "tests.fixtures.conformance",
    "pytester",
]

# Argon2 at a fraction of the production cost keeps the suite fast; production refuses this.
FAST_HASHING = {"password_hash_time_cost": 1, "password_hash_memory_kib": 1024}
USER_SERVICE_URL = "http://localhost:8000"


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    try:
        with provide_postgres() as url:
            yield url
    except HarnessError as exc:
        pytest.exit(str(exc), returncode=3)


@pytest.fixture(scope="session")
def mongo_url() -> Iterator[str]:
    try:
        with provide_mongo() as url:
            yield url
    except HarnessError as exc:
        pytest.exit(str(exc), returncode=3)


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
            **FAST_HASHING,
        }
        values.update(overrides)
        return UserSettings(**values)

    return make


@pytest.fixture(scope="session")
def user_app(make_user_settings: Any) -> FastAPI:
    return create_user_app(make_user_settings())


@pytest.fixture(scope="session")
async def users_client(user_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the session's user-service (its lifespan runs for the whole session)."""
    async with running_client(user_app, USER_SERVICE_URL) as client:
        yield client


@pytest.fixture(scope="session")
def platform_transport(user_app: FastAPI, users_client: httpx.AsyncClient) -> RoutingTransport:
    """Routes `http://localhost:8000` to the in-process user-service; tests may add routes."""
    transport = RoutingTransport()
    transport.add(USER_SERVICE_URL, httpx.ASGITransport(app=user_app))
    return transport


@pytest.fixture(scope="session")
async def admin_token(users_client: httpx.AsyncClient) -> str:
    return await login(users_client, ADMIN_EMAIL, ADMIN_PASSWORD)


@pytest.fixture
async def user(users_client: httpx.AsyncClient) -> TestUser:
    return await create_user(users_client)


@pytest.fixture
async def other_user(users_client: httpx.AsyncClient) -> TestUser:
    return await create_user(users_client)


@pytest.fixture
async def organizer(users_client: httpx.AsyncClient, admin_token: str) -> TestUser:
    return await create_user(users_client, role="organizer", admin_token=admin_token)


@pytest.fixture
async def other_organizer(users_client: httpx.AsyncClient, admin_token: str) -> TestUser:
    return await create_user(users_client, role="organizer", admin_token=admin_token)
