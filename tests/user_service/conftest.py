"""user-service under test: the session's in-process app (see tests/conftest.py)."""

import httpx
import pytest


@pytest.fixture(scope="session")
def client(users_client: httpx.AsyncClient) -> httpx.AsyncClient:
    return users_client
