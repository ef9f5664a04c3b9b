"""Refresh tokens: rotated on every use, revoked on reuse, logout, password and role changes."""

import asyncio
import hashlib
from collections.abc import Callable
from datetime import timedelta

import httpx
import jwt
from fastapi import FastAPI
from sqlalchemy import select

from service_kit.clock import utcnow
from tests.utils.asgi import running_client
from tests.utils.users import TestUser, assert_problem, bearer, create_user, service_token
from user_service.config import UserSettings
from user_service.main import create_app
from user_service.models import Attempt, RefreshToken
from user_service.service.housekeeping import housekeeping_pass


async def _sign_in(client: httpx.AsyncClient, user: TestUser) -> dict[str, str]:
    response = await client.post("/login", json={"email": user.email, "password": user.password})
    assert response.status_code == 200, response.text
    tokens: dict[str, str] = response.json()
    return tokens


async def _refresh(client: httpx.AsyncClient, refresh_token: str) -> httpx.Response:
    return await client.post("/refresh", json={"refresh_token": refresh_token})


async def test_refresh_gives_new_tokens_once_per_refresh_token(
    client: httpx.AsyncClient, user: TestUser
) -> None:
    first = await _sign_in(client, user)

    renewed = await _refresh(client, first["refresh_token"])

    assert renewed.status_code == 200
    assert renewed.headers["cache-control"] == "no-store"
    tokens = renewed.json()
    assert tokens["refresh_token"] != first["refresh_token"]
    assert tokens["expires_in"] == 15 * 60
    assert tokens["token_type"] == "bearer"
    me = await client.get("/users/me", headers=bearer(tokens["access_token"]))
    assert me.json()["id"] == user.id
    claims = jwt.decode(tokens["access_token"], options={"verify_signature": False})
    assert (
        claims["jti"]
        != jwt.decode(first["access_token"], options={"verify_signature": False})["jti"]
    )


async def test_reusing_a_refresh_token_on_another_replica_revokes_its_whole_sign_in(
    client: httpx.AsyncClient, user: TestUser, make_user_settings: Callable[..., UserSettings]
) -> None:
    stolen = (await _sign_in(client, user))["refresh_token"]
    successor = (await _refresh(client, stolen)).json()["refresh_token"]
    elsewhere = (await _sign_in(client, user))["refresh_token"]  # another sign-in

    async with running_client(create_app(make_user_settings())) as replica:
        reused = await _refresh(replica, stolen)
    after = await _refresh(client, successor)
    other_sign_in = await _refresh(client, elsewhere)

    body = assert_problem(reused, 401)
    assert body["type"] == "urn:event-booking:problem:refresh-refused"
    assert "used before" in str(body["detail"])
    assert_problem(after, 401)
    assert other_sign_in.status_code == 200


async def test_two_refreshes_racing_with_one_token_let_one_through_then_revoke(
    client: httpx.AsyncClient, user: TestUser
) -> None:
    token = (await _sign_in(client, user))["refresh_token"]

    answers = await asyncio.gather(*(_refresh(client, token) for _ in range(2)))

    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [200, 401]
    winner = next(answer for answer in answers if answer.status_code == 200)
    assert_problem(await _refresh(client, winner.json()["refresh_token"]), 401)


async def test_logout_revokes_the_sign_in_and_is_harmless_twice(
    client: httpx.AsyncClient, user: TestUser
) -> None:
    token = (await _sign_in(client, user))["refresh_token"]
    successor = (await _refresh(client, token)).json()["refresh_token"]

    first = await client.post("/logout", json={"refresh_token": successor})
    second = await client.post("/logout", json={"refresh_token": successor})
    unknown = await client.post("/logout", json={"refresh_token": "never-issued"})

    assert (first.status_code, second.status_code, unknown.status_code) == (204, 204, 204)
    assert_problem(await _refresh(client, successor), 401)


async def test_refresh_tokens_are_stored_as_digests_only(
    client: httpx.AsyncClient, user: TestUser, user_app: FastAPI
) -> None:
    token = (await _sign_in(client, user))["refresh_token"]

    async with user_app.state.sessionmaker() as session:
        stored = (await session.execute(select(RefreshToken.token_hash))).scalars().all()

    assert hashlib.sha256(token.encode()).hexdigest() in stored
    assert token not in stored


async def test_an_expired_refresh_token_is_refused(
    user: TestUser, make_user_settings: Callable[..., UserSettings]
) -> None:
    app = create_app(make_user_settings(refresh_token_days=1 / 86400))  # one second
    async with running_client(app) as client:
        token = (await _sign_in(client, user))["refresh_token"]
        await asyncio.sleep(1.2)
        assert_problem(await _refresh(client, token), 401)


async def test_a_password_change_revokes_refresh_tokens_and_outdates_access_tokens(
    client: httpx.AsyncClient, user: TestUser
) -> None:
    tokens = await _sign_in(client, user)
    change = {"password": "a brand new password", "current_password": user.password}

    changed = await client.patch("/users/me", json=change, headers=user.headers)

    assert changed.status_code == 200
    assert_problem(await _refresh(client, tokens["refresh_token"]), 401)
    outdated = assert_problem(await client.get("/users/me", headers=user.headers), 401)
    assert outdated["type"] == "urn:event-booking:problem:token-outdated"
    again = await client.post(
        "/login", json={"email": user.email, "password": "a brand new password"}
    )
    claims = jwt.decode(again.json()["access_token"], options={"verify_signature": False})
    assert claims["ver"] == 1
    assert (await client.get("/users/me", headers=bearer(again.json()["access_token"]))).is_success


async def test_a_demoted_admin_is_refused_admin_endpoints_at_once(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    deputy = await create_user(client, role="admin", admin_token=admin_token)
    refresh_token = (await _sign_in(client, deputy))["refresh_token"]
    assert (await client.get("/users", headers=deputy.headers)).status_code == 200

    demoted = await client.patch(
        f"/users/{deputy.id}/role", json={"role": "user"}, headers=bearer(admin_token)
    )

    assert demoted.status_code == 200
    listing = await client.get("/users", headers=deputy.headers)
    body = assert_problem(listing, 401)
    assert body["type"] == "urn:event-booking:problem:token-outdated"
    promote_self = await client.patch(
        f"/users/{deputy.id}/role", json={"role": "admin"}, headers=deputy.headers
    )
    assert_problem(promote_self, 401)
    assert_problem(await _refresh(client, refresh_token), 401)
    relogged = await _sign_in(client, deputy)
    assert_problem(await client.get("/users", headers=bearer(relogged["access_token"])), 403)


async def test_setting_the_same_role_again_keeps_the_sessions(
    client: httpx.AsyncClient, admin_token: str, user: TestUser
) -> None:
    refresh_token = (await _sign_in(client, user))["refresh_token"]

    same = await client.patch(
        f"/users/{user.id}/role", json={"role": "user"}, headers=bearer(admin_token)
    )

    assert same.status_code == 200
    assert (await client.get("/users/me", headers=user.headers)).status_code == 200
    assert (await _refresh(client, refresh_token)).status_code == 200


async def test_services_read_a_persons_role_and_token_version(
    client: httpx.AsyncClient, admin_token: str, user: TestUser
) -> None:
    service = bearer(await service_token(client))
    before = await client.get(f"/users/{user.id}/access", headers=service)
    await client.patch(
        f"/users/{user.id}/role", json={"role": "organizer"}, headers=bearer(admin_token)
    )
    after = await client.get(f"/users/{user.id}/access", headers=service)

    assert before.json() == {"id": user.id, "role": "user", "token_version": 0}
    assert after.json() == {"id": user.id, "role": "organizer", "token_version": 1}
    assert_problem(await client.get(f"/users/{user.id}/access", headers=user.headers), 401)
    unknown = "00000000-0000-4000-8000-000000000000"
    assert_problem(await client.get(f"/users/{unknown}/access", headers=service), 404)


async def test_people_may_not_read_token_versions(
    client: httpx.AsyncClient, admin_token: str, user: TestUser
) -> None:
    answer = await client.get(f"/users/{user.id}/access", headers=bearer(admin_token))
    assert_problem(answer, 403)


async def test_a_token_issued_before_versions_counts_as_version_zero(
    client: httpx.AsyncClient, user: TestUser, user_app: FastAPI
) -> None:
    settings: UserSettings = user_app.state.settings
    legacy = user_app.state.signing_key.mint(
        subject=user.id,
        role="user",
        email=user.email,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        lifetime=timedelta(minutes=5),
    )

    assert "ver" not in jwt.decode(legacy, options={"verify_signature": False})
    assert (await client.get("/users/me", headers=bearer(legacy))).status_code == 200


async def test_housekeeping_forgets_expired_refresh_tokens_and_old_attempts(
    client: httpx.AsyncClient, user: TestUser, user_app: FastAPI
) -> None:
    token = (await _sign_in(client, user))["refresh_token"]
    digest = hashlib.sha256(token.encode()).hexdigest()
    long_ago = utcnow() - timedelta(days=30)
    sessionmaker = user_app.state.sessionmaker
    async with sessionmaker() as session:
        row = (
            await session.execute(select(RefreshToken).where(RefreshToken.token_hash == digest))
        ).scalar_one()
        row.expires_at = long_ago
        session.add(Attempt(scope="test-old", key=user.email, attempted_at=long_ago))
        session.add(Attempt(scope="test-new", key=user.email, attempted_at=utcnow()))
        await session.commit()

    await housekeeping_pass(sessionmaker, keep_attempts=timedelta(days=1))()

    async with sessionmaker() as session:
        left = (
            await session.execute(select(RefreshToken).where(RefreshToken.token_hash == digest))
        ).all()
        scopes = (
            (await session.execute(select(Attempt.scope).where(Attempt.key == user.email)))
            .scalars()
            .all()
        )
    assert left == []
    assert scopes == ["test-new"]
