import httpx

from tests.utils.users import TestUser, assert_problem, bearer, login, service_token


async def test_read_me_returns_own_profile(client: httpx.AsyncClient, user: TestUser) -> None:
    response = await client.get("/users/me", headers=user.headers)

    assert response.status_code == 200
    assert response.json()["id"] == user.id
    assert response.json()["email"] == user.email


async def test_read_me_anonymous_is_unauthorized(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/users/me"), 401)


async def test_read_me_as_service_is_forbidden(client: httpx.AsyncClient) -> None:
    token = await service_token(client)

    assert_problem(await client.get("/users/me", headers=bearer(token)), 403)


async def test_update_me_changes_full_name(client: httpx.AsyncClient, user: TestUser) -> None:
    response = await client.patch(
        "/users/me", json={"full_name": "  Grace Hopper "}, headers=user.headers
    )

    assert response.status_code == 200
    assert response.json()["full_name"] == "Grace Hopper"
    assert (await client.get("/users/me", headers=user.headers)).json()["full_name"] == (
        "Grace Hopper"
    )


async def test_update_me_password_change_with_current_password(
    client: httpx.AsyncClient, user: TestUser
) -> None:
    response = await client.patch(
        "/users/me",
        json={"password": "a brand new password", "current_password": user.password},
        headers=user.headers,
    )

    assert response.status_code == 200
    assert await login(client, user.email, "a brand new password")
    old = await client.post("/login", json={"email": user.email, "password": user.password})
    assert_problem(old, 401)


async def test_update_me_password_without_current_is_rejected(
    client: httpx.AsyncClient, user: TestUser
) -> None:
    response = await client.patch(
        "/users/me", json={"password": "a brand new password"}, headers=user.headers
    )

    assert_problem(response, 422)


async def test_update_me_password_with_wrong_current_is_forbidden(
    client: httpx.AsyncClient, user: TestUser
) -> None:
    response = await client.patch(
        "/users/me",
        json={"password": "a brand new password", "current_password": "not it at all"},
        headers=user.headers,
    )

    assert_problem(response, 403)
    assert await login(client, user.email, user.password)


async def test_update_me_rejects_unknown_and_invalid_fields(
    client: httpx.AsyncClient, user: TestUser
) -> None:
    for body in (
        {"role": "admin"},
        {"email": "new@example.com"},
        {"full_name": ""},
        {"password": "short", "current_password": user.password},
    ):
        assert_problem(await client.patch("/users/me", json=body, headers=user.headers), 422)
    profile = (await client.get("/users/me", headers=user.headers)).json()
    assert profile["role"] == "user"
    assert profile["email"] == user.email
