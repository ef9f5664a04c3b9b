"""Hostile input: text no store can hold is a 422 naming the field; an oversized body a 413."""

import httpx

from tests.utils.hostile import assert_text_refused, oversized_json
from tests.utils.users import TestUser, assert_problem, bearer, random_email


async def test_register_name_with_nul_is_422_naming_full_name(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/register",
        json={"email": random_email(), "password": "a good password", "full_name": "Ada\x00"},
    )

    assert_text_refused(response, "body.full_name")


async def test_update_profile_name_with_nul_is_422(
    client: httpx.AsyncClient, user: TestUser
) -> None:
    response = await client.patch(
        "/users/me", json={"full_name": "\x00"}, headers=bearer(user.token)
    )

    assert_text_refused(response, "body.full_name")


async def test_login_email_with_nul_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/login", json={"email": "a\x00@example.com", "password": "a good password"}
    )

    assert_text_refused(response, "body.email")


async def test_search_users_with_nul_is_422(client: httpx.AsyncClient, admin_token: str) -> None:
    response = await client.get("/users", params={"q": "ada\x00"}, headers=bearer(admin_token))

    assert_text_refused(response, "query.q")


async def test_register_body_over_limit_is_413(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/register", content=oversized_json(), headers={"content-type": "application/json"}
    )

    assert_problem(response, 413)


async def test_register_name_with_tab_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/register",
        json={"email": random_email(), "password": "a good password", "full_name": "Ada\tL"},
    )

    assert_problem(response, 422)
    assert response.json()["errors"][0]["field"] == "body.full_name"
