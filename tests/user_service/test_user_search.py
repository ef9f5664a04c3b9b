"""GET /users?q=: finding people by part of their email or name, on PostgreSQL and SQLite."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.utils.asgi import running_client
from tests.utils.users import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    TestUser,
    assert_problem,
    bearer,
    login,
    service_token,
)
from user_service.main import create_app


@dataclass
class Store:
    """A user-service on one kind of database, and an admin's token for it."""

    client: httpx.AsyncClient
    admin: dict[str, str]


@pytest.fixture(scope="module")
async def sqlite_client(
    make_user_settings: Any, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[httpx.AsyncClient]:
    database = tmp_path_factory.mktemp("users-sqlite") / "users.db"
    app = create_app(make_user_settings(user_database_url=f"sqlite:///{database}"))
    async with running_client(app, "http://users.sqlite") as client:
        yield client


@pytest.fixture(scope="module")
async def sqlite_admin_token(sqlite_client: httpx.AsyncClient) -> str:
    return await login(sqlite_client, ADMIN_EMAIL, ADMIN_PASSWORD)


@pytest.fixture(params=["postgresql", "sqlite"])
def store(
    request: pytest.FixtureRequest,
    client: httpx.AsyncClient,
    admin_token: str,
    sqlite_client: httpx.AsyncClient,
    sqlite_admin_token: str,
) -> Store:
    if request.param == "postgresql":
        return Store(client, bearer(admin_token))
    return Store(sqlite_client, bearer(sqlite_admin_token))


def tag() -> str:
    """Letters no other test's users have, so a search finds only this test's people."""
    return f"zq{uuid.uuid4().hex[:10]}"


async def register(store: Store, full_name: str, email: str | None = None) -> str:
    response = await store.client.post(
        "/register",
        json={
            "email": email or f"p-{uuid.uuid4().hex[:12]}@example.com",
            "full_name": full_name,
            "password": "correct horse battery",
        },
    )
    assert response.status_code == 201, response.text
    user_id: str = response.json()["id"]
    return user_id


async def search(store: Store, **params: object) -> httpx.Response:
    response = await store.client.get("/users", params=params, headers=store.admin)
    assert response.status_code == 200, response.text
    return response


def ids(response: httpx.Response) -> list[str]:
    return [user["id"] for user in response.json()]


async def test_search_users_part_of_full_name_matches_in_any_case(store: Store) -> None:
    word = tag()
    grace = await register(store, f"Grace {word.upper()} Hopper")
    await register(store, f"Alan {word[:-1]} Turing")

    response = await search(store, q=f"  {word} hopper ")

    assert ids(response) == [grace]
    assert response.headers["x-total-count"] == "1"


async def test_search_users_part_of_email_matches_in_any_case(store: Store) -> None:
    word = tag()
    ada = await register(store, "Ada Lovelace", email=f"ada.{word}@analytical.example")

    assert ids(await search(store, q=f"A.{word.upper()}@ANALYTICAL")) == [ada]
    assert ids(await search(store, q=f"{word}@analytical.example")) == [ada]


@pytest.mark.parametrize(
    ("literal", "lookalike"),
    [("50% off", "50 percent off"), ("a_b", "axb"), ("back\\slash", "backslash")],
)
async def test_search_users_wildcard_characters_match_only_themselves(
    store: Store, literal: str, lookalike: str
) -> None:
    word = tag()
    wanted = await register(store, f"{word} {literal}")
    await register(store, f"{word} {lookalike}")

    response = await search(store, q=f"{word} {literal}")

    assert ids(response) == [wanted]
    assert response.headers["x-total-count"] == "1"


async def test_search_users_combines_with_role_and_pages(store: Store) -> None:
    word = tag()
    people = [await register(store, f"{word} Person {n}") for n in range(3)]
    promoted = await store.client.patch(
        f"/users/{people[2]}/role", json={"role": "organizer"}, headers=store.admin
    )
    assert promoted.status_code == 200, promoted.text

    first = await search(store, q=word, role="user", limit=1)
    second = await search(store, q=word, role="user", limit=1, offset=1)
    organizers = await search(store, q=word, role="organizer")
    by_email = await search(store, q=word, email=ADMIN_EMAIL)

    assert ids(first) + ids(second) == people[:2]
    assert first.headers["x-total-count"] == second.headers["x-total-count"] == "2"
    assert ids(organizers) == [people[2]]
    assert by_email.json() == []
    assert by_email.headers["x-total-count"] == "0"


async def test_search_users_nothing_matching_is_an_empty_page(store: Store) -> None:
    response = await search(store, q=tag())

    assert response.json() == []
    assert response.headers["x-total-count"] == "0"


async def test_search_users_services_may_search(client: httpx.AsyncClient) -> None:
    word = tag()
    store = Store(client, bearer(await service_token(client)))
    wanted = await register(store, f"Service {word} Find")

    assert ids(await search(store, q=word)) == [wanted]


async def test_search_users_plain_users_and_organizers_are_forbidden(
    client: httpx.AsyncClient, user: TestUser, organizer: TestUser
) -> None:
    assert_problem(await client.get("/users", params={"q": "a"}), 401)
    for caller in (user, organizer):
        assert_problem(await client.get("/users", params={"q": "a"}, headers=caller.headers), 403)


async def test_search_users_too_long_a_query_is_rejected(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    fits = await client.get("/users", params={"q": "x" * 200}, headers=bearer(admin_token))
    too_long = await client.get("/users", params={"q": "x" * 201}, headers=bearer(admin_token))

    assert fits.status_code == 200
    body = assert_problem(too_long, 422)
    assert body["errors"][0]["field"] == "query.q"  # type: ignore[index]
