import httpx
import jwt
import pytest
from fastapi import FastAPI

from tests.utils.asgi import running_client
from tests.utils.users import TestUser, assert_problem, full_width, random_email
from user_service.main import create_app


async def test_login_with_json_returns_bearer_token(
    client: httpx.AsyncClient, user: TestUser
) -> None:
    response = await client.post(
        "/login", json={"email": user.email.upper(), "password": user.password}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    # Short-lived: a role or password change reaches every check within minutes.
    assert body["expires_in"] == 15 * 60
    assert body["refresh_token"]
    assert body["refresh_expires_in"] == 14 * 86400
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["sub"] == user.id
    assert claims["email"] == user.email
    assert claims["role"] == "user"
    assert claims["aud"] == "event-booking"
    assert claims["iss"] == "event-booking/user-service"
    assert claims["exp"] - claims["iat"] == 15 * 60
    assert claims["ver"] == 0
    assert jwt.get_unverified_header(body["access_token"])["kid"]


async def test_login_with_oauth2_form_returns_token(
    client: httpx.AsyncClient, user: TestUser
) -> None:
    response = await client.post("/login", data={"username": user.email, "password": user.password})

    assert response.status_code == 200
    assert (
        await client.get(
            "/users/me", headers={"Authorization": f"Bearer {response.json()['access_token']}"}
        )
    ).json()["id"] == user.id


async def test_login_with_a_look_alike_spelling_signs_in_to_the_same_account(
    client: httpx.AsyncClient, user: TestUser
) -> None:
    response = await client.post(
        "/login", data={"username": full_width(user.email), "password": user.password}
    )

    assert response.status_code == 200, response.text
    claims = jwt.decode(response.json()["access_token"], options={"verify_signature": False})
    assert (claims["sub"], claims["email"]) == (user.id, user.email)


async def test_login_wrong_password_and_unknown_email_fail_alike(
    client: httpx.AsyncClient, user: TestUser
) -> None:
    wrong_password = await client.post(
        "/login", json={"email": user.email, "password": "not the password"}
    )
    unknown_email = await client.post(
        "/login", json={"email": random_email(), "password": "not the password"}
    )

    first = assert_problem(wrong_password, 401)
    second = assert_problem(unknown_email, 401)
    assert first["detail"] == second["detail"]
    assert wrong_password.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "body",
    [{"email": "a@example.com"}, {"password": "x"}, {"email": "", "password": "x"}, []],
)
async def test_login_incomplete_body_is_rejected(client: httpx.AsyncClient, body: object) -> None:
    assert_problem(await client.post("/login", json=body), 422)


async def test_login_malformed_json_is_a_bad_request(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/login", content=b"{", headers={"content-type": "application/json"}
    )

    body = assert_problem(response, 400)
    assert body["detail"] == (
        "Malformed JSON at line 1, column 2: Expecting property name enclosed in double quotes"
    )


async def _fail_login(client: httpx.AsyncClient, email: str) -> httpx.Response:
    return await client.post("/login", json={"email": email, "password": "wrong password"})


async def test_login_locks_after_ten_failures_even_with_right_password(
    client: httpx.AsyncClient, user: TestUser
) -> None:
    for _ in range(10):
        assert (await _fail_login(client, user.email)).status_code == 401

    locked = await client.post("/login", json={"email": user.email, "password": user.password})

    body = assert_problem(locked, 429)
    assert body["type"] == "urn:event-booking:problem:login-locked"
    assert 0 < int(locked.headers["retry-after"]) <= 15 * 60


async def test_login_lockout_counts_look_alike_spellings_as_one_address(
    client: httpx.AsyncClient, user: TestUser
) -> None:
    for spelling in (user.email, user.email.upper(), full_width(user.email)) * 4:
        await _fail_login(client, spelling)

    locked = await client.post("/login", json={"email": user.email, "password": user.password})

    assert_problem(locked, 429)


async def test_login_lockout_holds_on_another_replica(
    client: httpx.AsyncClient, user: TestUser, make_user_settings: object
) -> None:
    for _ in range(10):
        await _fail_login(client, user.email)

    replica: FastAPI = create_app(make_user_settings())  # type: ignore[operator]
    async with running_client(replica) as replica_client:
        locked = await replica_client.post(
            "/login", json={"email": user.email, "password": user.password}
        )

    assert_problem(locked, 429)


async def test_login_success_clears_earlier_failures(
    client: httpx.AsyncClient, user: TestUser
) -> None:
    for _ in range(9):
        await _fail_login(client, user.email)
    ok = await client.post("/login", json={"email": user.email, "password": user.password})
    assert ok.status_code == 200

    for _ in range(9):
        assert (await _fail_login(client, user.email)).status_code == 401
    assert (
        await client.post("/login", json={"email": user.email, "password": user.password})
    ).status_code == 200


async def test_login_lockout_applies_to_unknown_emails_too(client: httpx.AsyncClient) -> None:
    email = random_email()
    for _ in range(10):
        await _fail_login(client, email)

    assert_problem(await _fail_login(client, email), 429)
