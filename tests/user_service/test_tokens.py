import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from tests.utils.users import TestUser, assert_problem, bearer


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(user: TestUser, **overrides: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    claims = {
        "sub": user.id,
        "email": user.email,
        "role": "user",
        "iat": now,
        "exp": now + timedelta(minutes=5),
        "iss": "event-booking/user-service",
        "aud": "event-booking",
    }
    claims.update(overrides)
    return claims


async def _jwks(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    key: dict[str, Any] = response.json()["keys"][0]
    return key


async def test_jwks_publishes_public_key_only(client: httpx.AsyncClient) -> None:
    key = await _jwks(client)

    assert key["kty"] == "OKP"
    assert key["crv"] == "Ed25519"
    assert key["alg"] == "EdDSA"
    assert key["use"] == "sig"
    assert key["kid"]
    assert "d" not in key


async def test_service_token_with_form_credentials(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "event-service",
            "client_secret": "dev-event-service-secret",
        },
    )

    assert response.status_code == 200
    claims = jwt.decode(response.json()["access_token"], options={"verify_signature": False})
    assert claims["role"] == "service"
    assert claims["sub"] == "event-service"
    assert "email" not in claims
    assert response.json()["expires_in"] == 600


async def test_service_token_with_basic_credentials(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/token",
        data={"grant_type": "client_credentials"},
        auth=("notification-service", "dev-notification-service-secret"),
    )

    assert response.status_code == 200
    listing = await client.get("/users", headers=bearer(response.json()["access_token"]))
    assert listing.status_code == 200


@pytest.mark.parametrize(
    ("client_id", "secret"),
    [("booking-service", "wrong"), ("nobody", "dev-nobody-secret"), ("booking-service", "")],
)
async def test_service_token_bad_credentials_are_unauthorized(
    client: httpx.AsyncClient, client_id: str, secret: str
) -> None:
    response = await client.post(
        "/token",
        data={
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": secret,
        },
    )

    assert_problem(response, 401)


async def test_service_token_other_grant_types_are_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/token",
        data={
            "grant_type": "password",
            "client_id": "booking-service",
            "client_secret": "dev-booking-service-secret",
        },
    )

    assert_problem(response, 400)
    assert_problem(await client.post("/token", data={}), 422)


async def _me_with(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.get("/users/me", headers=bearer(token))


async def test_forged_token_signed_by_another_key_is_rejected(
    client: httpx.AsyncClient, user: TestUser
) -> None:
    kid = (await _jwks(client))["kid"]
    forged = jwt.encode(
        _claims(user), ed25519.Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": kid}
    )

    assert_problem(await _me_with(client, forged), 401)


async def test_token_with_alg_none_is_rejected(client: httpx.AsyncClient, user: TestUser) -> None:
    kid = (await _jwks(client))["kid"]
    header = _b64(json.dumps({"alg": "none", "typ": "JWT", "kid": kid}).encode())
    payload = _b64(json.dumps(_claims(user, iat=0, exp=2**31)).encode())

    assert_problem(await _me_with(client, f"{header}.{payload}."), 401)


async def test_hs256_token_keyed_with_the_public_key_is_rejected(
    client: httpx.AsyncClient, user: TestUser
) -> None:
    public = await _jwks(client)
    secret = base64.urlsafe_b64decode(public["x"] + "==")
    header = {"alg": "HS256", "typ": "JWT", "kid": public["kid"]}
    signing_input = f"{_b64(json.dumps(header).encode())}." + _b64(
        json.dumps(_claims(user, iat=0, exp=2**31)).encode()
    )
    import hashlib
    import hmac

    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    forged = f"{signing_input}.{_b64(signature)}"

    assert_problem(await _me_with(client, forged), 401)


async def test_tampered_role_invalidates_the_signature(
    client: httpx.AsyncClient, user: TestUser
) -> None:
    header, payload, signature = user.token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["role"] = "admin"
    tampered = f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"

    assert_problem(await _me_with(client, tampered), 401)
    assert_problem(await client.get("/users", headers=bearer(tampered)), 401)


@pytest.mark.parametrize(
    "overrides",
    [
        {"exp": datetime.now(UTC) - timedelta(seconds=5)},
        {"aud": "another-platform"},
        {"iss": "someone-else"},
        {"role": "superuser"},
    ],
)
async def test_tokens_signed_with_the_real_key_but_wrong_claims_are_rejected(
    client: httpx.AsyncClient, user: TestUser, signing_key_file: Any, overrides: dict[str, Any]
) -> None:
    from user_service.signing import SigningKey

    key = SigningKey.from_pem(signing_key_file.read_bytes())
    token = jwt.encode(
        _claims(user, **overrides), key.private_key, algorithm="EdDSA", headers={"kid": key.kid}
    )

    assert_problem(await _me_with(client, token), 401)


async def test_token_with_unknown_kid_or_garbage_is_rejected(
    client: httpx.AsyncClient, user: TestUser
) -> None:
    other = ed25519.Ed25519PrivateKey.generate()
    unknown_kid = jwt.encode(_claims(user), other, algorithm="EdDSA", headers={"kid": "nope"})
    for token in (unknown_kid, "garbage", "a.b.c", ""):
        response = await client.get("/users/me", headers={"Authorization": f"Bearer {token}"})
        assert_problem(response, 401)


async def test_service_token_response_is_never_cached(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/token",
        data={"grant_type": "client_credentials"},
        auth=("event-service", "dev-event-service-secret"),
    )

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
