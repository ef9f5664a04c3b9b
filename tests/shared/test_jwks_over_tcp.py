"""user-service under uvicorn on a real port: the seed's flow over TCP, and token verification
in another service through the JWKS endpoint."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from service_kit.auth import JwksVerifier, Role
from service_kit.errors import ServiceUnavailableError, UnauthorizedError
from tests.harness.ports import free_port
from tests.harness.postgres import create_database, drop_database, unique_database_name
from tests.harness.servers import run_uvicorn
from tests.shared.kit_app import create_kit_app
from tests.utils.asgi import running_client
from tests.utils.users import ADMIN_EMAIL, ADMIN_PASSWORD, assert_problem, bearer, random_email

ISSUER = "event-booking/user-service"
AUDIENCE = "event-booking"


@pytest.fixture(scope="module")
def user_service_url(
    postgres_admin_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    name = unique_database_name("users_tcp")
    database_url = create_database(postgres_admin_url, name)
    env = {
        "ENV": "test",
        "USER_DATABASE_URL": database_url,
        "JWT_DEV_KEY_FILE": str(tmp_path_factory.mktemp("tcp-keys") / "key.pem"),
        "ADMIN_EMAIL": ADMIN_EMAIL,
        "ADMIN_PASSWORD": ADMIN_PASSWORD,
        "PASSWORD_HASH_TIME_COST": "1",
        "PASSWORD_HASH_MEMORY_KIB": "1024",
    }
    try:
        with run_uvicorn("user-service.app:app", env=env) as base_url:
            yield base_url
    finally:
        drop_database(postgres_admin_url, name)


async def _token(client: httpx.AsyncClient, email: str, password: str) -> str:
    response = await client.post("/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


async def test_seed_flow_register_login_me_over_tcp(user_service_url: str) -> None:
    email = random_email()
    async with httpx.AsyncClient(base_url=user_service_url) as client:
        registered = await client.post(
            "/register", json={"email": email, "password": "tcp password", "full_name": "Tee"}
        )
        token = await _token(client, email, "tcp password")
        me = await client.get("/users/me", headers=bearer(token))
        docs = await client.get("/docs")

    assert registered.status_code == 201
    assert me.json()["id"] == registered.json()["id"]
    assert me.headers["x-request-id"]
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()


async def test_jwks_verifier_accepts_real_tokens_and_rejects_forgeries(
    user_service_url: str,
) -> None:
    fetches = 0

    async def count_jwks_fetch(request: httpx.Request) -> None:
        nonlocal fetches
        fetches += request.url.path.endswith("/jwks.json")

    async with httpx.AsyncClient(
        base_url=user_service_url, event_hooks={"request": [count_jwks_fetch]}
    ) as client:
        verifier = JwksVerifier(
            http_client=client,
            jwks_url=f"{user_service_url}/.well-known/jwks.json",
            issuer=ISSUER,
            audience=AUDIENCE,
            min_refetch_seconds=0,
        )
        admin = await verifier.verify(await _token(client, ADMIN_EMAIL, ADMIN_PASSWORD))
        again = await verifier.verify(await _token(client, ADMIN_EMAIL, ADMIN_PASSWORD))
        assert fetches == 1  # cached

        forged = jwt.encode(
            {"sub": "x", "role": "admin", "iat": 0, "exp": 2**31, "iss": ISSUER, "aud": AUDIENCE},
            ed25519.Ed25519PrivateKey.generate(),
            algorithm="EdDSA",
            headers={"kid": "made-up"},
        )
        with pytest.raises(UnauthorizedError):
            await verifier.verify(forged)
        assert fetches == 2  # an unknown kid fetches the key set again

    assert admin.role == Role.ADMIN
    assert admin.email == ADMIN_EMAIL
    assert again.subject == admin.subject


async def test_jwks_verifier_throttles_refetches_for_unknown_kids(user_service_url: str) -> None:
    fetches = 0

    async def count(request: httpx.Request) -> None:
        nonlocal fetches
        fetches += 1

    async with httpx.AsyncClient(event_hooks={"request": [count]}) as client:
        verifier = JwksVerifier(
            http_client=client,
            jwks_url=f"{user_service_url}/.well-known/jwks.json",
            issuer=ISSUER,
            audience=AUDIENCE,
        )
        for kid in ("one", "two", "three"):
            forged = jwt.encode(
                {"sub": "x"},
                ed25519.Ed25519PrivateKey.generate(),
                algorithm="EdDSA",
                headers={"kid": kid},
            )
            with pytest.raises(UnauthorizedError):
                await verifier.verify(forged)

    assert fetches == 1


async def test_jwks_verifier_without_user_service_is_unavailable() -> None:
    async with httpx.AsyncClient() as client:
        verifier = JwksVerifier(
            http_client=client,
            jwks_url=f"http://127.0.0.1:{free_port()}/.well-known/jwks.json",
            issuer=ISSUER,
            audience=AUDIENCE,
        )
        token = jwt.encode(
            {"sub": "x"},
            ed25519.Ed25519PrivateKey.generate(),
            algorithm="EdDSA",
            headers={"kid": "k"},
        )
        with pytest.raises(ServiceUnavailableError):
            await verifier.verify(token)


async def test_role_dependencies_in_another_service(user_service_url: str) -> None:
    async with httpx.AsyncClient(base_url=user_service_url) as users:
        verifier = JwksVerifier(
            http_client=users,
            jwks_url=f"{user_service_url}/.well-known/jwks.json",
            issuer=ISSUER,
            audience=AUDIENCE,
        )
        email = random_email()
        await users.post(
            "/register", json={"email": email, "password": "tcp password", "full_name": "U"}
        )
        user_token = await _token(users, email, "tcp password")
        admin_token = await _token(users, ADMIN_EMAIL, ADMIN_PASSWORD)
        service = await users.post(
            "/token",
            data={
                "grant_type": "client_credentials",
                "client_id": "event-service",
                "client_secret": "dev-event-service-secret",
            },
        )
        service_token = service.json()["access_token"]

        async with running_client(create_kit_app(token_verifier=verifier)) as kit:
            assert_problem(await kit.get("/whoami"), 401)
            whoami = await kit.get("/whoami", headers=bearer(user_token))
            assert whoami.json()["role"] == "user"
            assert_problem(await kit.get("/admin-only", headers=bearer(user_token)), 403)
            assert (await kit.get("/admin-only", headers=bearer(admin_token))).status_code == 200
            service_call = await kit.get("/admin-only", headers=bearer(service_token))
            assert service_call.json() == {"role": "service"}
            assert_problem(await kit.get("/whoami", headers=bearer("junk")), 401)


def test_dev_signing_key_survives_restarts(tmp_path: Path) -> None:
    from user_service.config import UserSettings
    from user_service.signing import load_signing_key

    settings = UserSettings(jwt_dev_key_file=tmp_path / "nested" / "key.pem")
    first = load_signing_key(settings)
    second = load_signing_key(settings)

    assert first.kid == second.kid
    assert (tmp_path / "nested" / "key.pem").stat().st_mode & 0o777 == 0o600
