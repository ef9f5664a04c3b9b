import asyncio
import uuid

import httpx
import pytest

from tests.utils.users import (
    TestUser,
    assert_problem,
    bearer,
    create_user,
    full_width,
    random_email,
    service_token,
)


async def test_read_user_self_admin_and_service_may_read(
    client: httpx.AsyncClient, user: TestUser, admin_token: str
) -> None:
    service = await service_token(client)
    for headers in (user.headers, bearer(admin_token), bearer(service)):
        response = await client.get(f"/users/{user.id}", headers=headers)
        assert response.status_code == 200
        assert response.json()["email"] == user.email


async def test_read_user_other_user_or_organizer_is_forbidden(
    client: httpx.AsyncClient, user: TestUser, other_user: TestUser, organizer: TestUser
) -> None:
    for caller in (other_user, organizer):
        assert_problem(await client.get(f"/users/{user.id}", headers=caller.headers), 403)


async def test_read_user_anonymous_is_unauthorized(
    client: httpx.AsyncClient, user: TestUser
) -> None:
    assert_problem(await client.get(f"/users/{user.id}"), 401)


async def test_read_user_unknown_is_not_found(client: httpx.AsyncClient, admin_token: str) -> None:
    assert_problem(await client.get(f"/users/{uuid.uuid4()}", headers=bearer(admin_token)), 404)


async def test_read_user_malformed_id_is_unprocessable(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    body = assert_problem(await client.get("/users/42", headers=bearer(admin_token)), 422)
    assert body["errors"][0]["field"] == "path.user_id"  # type: ignore[index]


async def test_list_users_admin_and_service_get_page_and_total(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    await asyncio.gather(*(create_user(client) for _ in range(3)))
    service = await service_token(client)
    for headers in (bearer(admin_token), bearer(service)):
        response = await client.get("/users", params={"limit": 2}, headers=headers)
        assert response.status_code == 200
        assert len(response.json()) == 2
        assert int(response.headers["x-total-count"]) >= 4


async def test_list_users_offset_pages_do_not_overlap(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    await asyncio.gather(*(create_user(client) for _ in range(4)))
    first = await client.get("/users", params={"limit": 2}, headers=bearer(admin_token))
    second = await client.get(
        "/users", params={"limit": 2, "offset": 2}, headers=bearer(admin_token)
    )

    first_ids = {user["id"] for user in first.json()}
    second_ids = {user["id"] for user in second.json()}
    assert len(first_ids) == len(second_ids) == 2
    assert not first_ids & second_ids


async def test_list_users_filters_by_email_and_role(
    client: httpx.AsyncClient, admin_token: str, organizer: TestUser
) -> None:
    by_email = await client.get(
        "/users", params={"email": organizer.email.upper()}, headers=bearer(admin_token)
    )
    assert [found["id"] for found in by_email.json()] == [organizer.id]
    assert by_email.headers["x-total-count"] == "1"

    by_role = await client.get(
        "/users", params={"role": "organizer", "limit": 100}, headers=bearer(admin_token)
    )
    assert {found["role"] for found in by_role.json()} == {"organizer"}
    by_both = await client.get(
        "/users",
        params={"role": "organizer", "email": organizer.email},
        headers=bearer(admin_token),
    )
    assert [found["id"] for found in by_both.json()] == [organizer.id]
    not_a_user = await client.get(
        "/users", params={"role": "user", "email": organizer.email}, headers=bearer(admin_token)
    )
    assert not_a_user.json() == []


async def test_list_users_email_in_a_look_alike_spelling_finds_the_account(
    client: httpx.AsyncClient, admin_token: str, user: TestUser
) -> None:
    response = await client.get(
        "/users", params={"email": full_width(user.email)}, headers=bearer(admin_token)
    )

    assert [found["id"] for found in response.json()] == [user.id]


async def test_list_users_plain_users_and_organizers_are_forbidden(
    client: httpx.AsyncClient, user: TestUser, organizer: TestUser
) -> None:
    assert_problem(await client.get("/users"), 401)
    for caller in (user, organizer):
        assert_problem(await client.get("/users", headers=caller.headers), 403)


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 101},
        {"offset": -1},
        {"offset": 100_001},
        {"offset": 10**19},  # past PostgreSQL's bigint: a 500 before
        {"role": "service"},
        {"limit": "many"},
    ],
)
async def test_list_users_out_of_range_query_is_rejected(
    client: httpx.AsyncClient, admin_token: str, params: dict[str, object]
) -> None:
    assert_problem(await client.get("/users", params=params, headers=bearer(admin_token)), 422)


async def test_change_role_admin_promotes_to_organizer(
    client: httpx.AsyncClient, admin_token: str, user: TestUser
) -> None:
    response = await client.patch(
        f"/users/{user.id}/role", json={"role": "organizer"}, headers=bearer(admin_token)
    )

    assert response.status_code == 200
    assert response.json()["role"] == "organizer"
    relogged = await client.post("/login", json={"email": user.email, "password": user.password})
    me = await client.get("/users/me", headers=bearer(relogged.json()["access_token"]))
    assert me.json()["role"] == "organizer"


async def test_change_role_non_admins_are_forbidden(
    client: httpx.AsyncClient, user: TestUser, organizer: TestUser
) -> None:
    service = await service_token(client)
    target = f"/users/{user.id}/role"
    assert_problem(await client.patch(target, json={"role": "admin"}), 401)
    for headers in (user.headers, organizer.headers, bearer(service)):
        assert_problem(await client.patch(target, json={"role": "admin"}, headers=headers), 403)
    assert (await client.get("/users/me", headers=user.headers)).json()["role"] == "user"


async def test_change_role_of_self_conflicts(client: httpx.AsyncClient, admin_token: str) -> None:
    me = (await client.get("/users/me", headers=bearer(admin_token))).json()

    response = await client.patch(
        f"/users/{me['id']}/role", json={"role": "user"}, headers=bearer(admin_token)
    )

    assert_problem(response, 409)


async def test_change_role_unknown_user_or_role(
    client: httpx.AsyncClient, admin_token: str, user: TestUser
) -> None:
    headers = bearer(admin_token)
    assert_problem(
        await client.patch(f"/users/{uuid.uuid4()}/role", json={"role": "admin"}, headers=headers),
        404,
    )
    for role in ("service", "superuser", None):
        assert_problem(
            await client.patch(f"/users/{user.id}/role", json={"role": role}, headers=headers),
            422,
        )


async def test_no_response_ever_contains_a_password_hash(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    email = random_email()
    password = "the original password"
    responses = [
        await client.post(
            "/register", json={"email": email, "password": password, "full_name": "X"}
        ),
        await client.post(
            "/register", json={"email": email, "password": password, "full_name": "X"}
        ),
    ]
    login = await client.post("/login", json={"email": email, "password": password})
    token = login.json()["access_token"]
    responses += [
        login,
        await client.get("/users/me", headers=bearer(token)),
        await client.patch("/users/me", json={"full_name": "Y"}, headers=bearer(token)),
        await client.get("/users", params={"email": email}, headers=bearer(admin_token)),
        await client.get("/users", params={"limit": 100}, headers=bearer(admin_token)),
    ]
    for response in responses:
        assert "$argon2" not in response.text
        assert "password" not in response.text
