"""Accounts the operator configures (ADMIN_*, ORGANIZER_*) exist after start, with their role."""

from typing import Any

import httpx

from tests.utils.asgi import running_client
from tests.utils.users import create_user, full_width, login, random_email
from user_service.main import create_app

PASSWORD = "configured password"


async def _me(client: httpx.AsyncClient, email: str) -> dict[str, Any]:
    token = await login(client, email, PASSWORD)
    response = await client.get("/users/me", headers={"Authorization": f"Bearer {token}"})
    body: dict[str, Any] = response.json()
    return body


async def test_configured_organizer_is_created_at_start_with_the_organizer_role(
    make_user_settings: Any,
) -> None:
    email = random_email("organizer")
    settings = make_user_settings(organizer_email=email, organizer_password=PASSWORD)

    async with running_client(create_app(settings), "http://localhost:8000") as client:
        me = await _me(client, email)

    assert me["role"] == "organizer"


async def test_configured_organizer_existing_as_user_is_promoted(
    make_user_settings: Any, users_client: httpx.AsyncClient
) -> None:
    existing = await create_user(users_client, password=PASSWORD)
    settings = make_user_settings(organizer_email=existing.email, organizer_password=PASSWORD)

    async with running_client(create_app(settings), "http://localhost:8000") as client:
        me = await _me(client, existing.email)

    assert me["role"] == "organizer"


async def test_configured_organizer_who_is_an_admin_is_not_demoted(
    make_user_settings: Any, users_client: httpx.AsyncClient, admin_token: str
) -> None:
    admin = await create_user(
        users_client, password=PASSWORD, role="admin", admin_token=admin_token
    )
    settings = make_user_settings(organizer_email=admin.email, organizer_password=PASSWORD)

    async with running_client(create_app(settings), "http://localhost:8000") as client:
        me = await _me(client, admin.email)

    assert me["role"] == "admin"


async def test_configured_organizer_in_a_look_alike_spelling_is_the_existing_account(
    make_user_settings: Any, users_client: httpx.AsyncClient
) -> None:
    existing = await create_user(users_client, password=PASSWORD)
    spelling = full_width(existing.email.upper())
    settings = make_user_settings(organizer_email=spelling, organizer_password=PASSWORD)

    async with running_client(create_app(settings), "http://localhost:8000") as client:
        me = await _me(client, existing.email)

    assert (me["id"], me["role"]) == (existing.id, "organizer")
