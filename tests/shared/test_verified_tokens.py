"""A token verified moments ago skips the signature check, but never outlives its expiry or
the key that verified it."""

import asyncio
import time
import uuid
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from service_kit.auth import StaticKeyVerifier
from service_kit.errors import UnauthorizedError

ISSUER = "event-booking/user-service"
AUDIENCE = "event-booking"


def _key(kid: str) -> tuple[ed25519.Ed25519PrivateKey, jwt.PyJWK]:
    private = ed25519.Ed25519PrivateKey.generate()
    public = jwt.PyJWK.from_dict(
        {**jwt.algorithms.OKPAlgorithm.to_jwk(private.public_key(), as_dict=True), "kid": kid},
        algorithm="EdDSA",
    )
    return private, public


def _mint(private: ed25519.Ed25519PrivateKey, kid: str, *, lifetime: float = 300) -> str:
    now = time.time()
    claims: dict[str, Any] = {
        "sub": str(uuid.uuid4()),
        "role": "user",
        "iat": int(now),
        "exp": now + lifetime,
        "iss": ISSUER,
        "aud": AUDIENCE,
    }
    return jwt.encode(claims, private, algorithm="EdDSA", headers={"kid": kid})


def _counting_signature_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    checked: list[str] = []
    real_decode = jwt.decode

    def decode(token: str, *args: Any, **kwargs: Any) -> Any:
        checked.append(token)
        return real_decode(token, *args, **kwargs)

    monkeypatch.setattr(jwt, "decode", decode)
    return checked


async def test_the_same_token_is_checked_once_while_it_lasts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    private, public = _key("k1")
    verifier = StaticKeyVerifier({"k1": public}, issuer=ISSUER, audience=AUDIENCE)
    token, other = _mint(private, "k1"), _mint(private, "k1")
    checked = _counting_signature_checks(monkeypatch)

    first = await verifier.verify(token)
    again = [await verifier.verify(token) for _ in range(5)]
    someone_else = await verifier.verify(other)

    assert checked == [token, other]
    assert all(principal == first for principal in again)
    assert someone_else.subject != first.subject


async def test_a_remembered_token_is_refused_once_it_expires() -> None:
    private, public = _key("k1")
    verifier = StaticKeyVerifier({"k1": public}, issuer=ISSUER, audience=AUDIENCE)
    token = _mint(private, "k1", lifetime=1.0)

    await verifier.verify(token)
    await asyncio.sleep(1.1)

    with pytest.raises(UnauthorizedError, match="expired"):
        await verifier.verify(token)


async def test_a_remembered_token_is_checked_again_once_its_key_is_replaced() -> None:
    private, public = _key("k1")
    _, impostor = _key("k1")  # the same key id, another key (a rotation gone wrong, say)
    verifier = StaticKeyVerifier({"k1": public}, issuer=ISSUER, audience=AUDIENCE)
    token = _mint(private, "k1")
    await verifier.verify(token)

    verifier.keys["k1"] = impostor
    with pytest.raises(UnauthorizedError, match="invalid"):
        await verifier.verify(token)

    verifier.keys.pop("k1")
    with pytest.raises(UnauthorizedError, match="known key"):
        await verifier.verify(token)


async def test_a_tampered_copy_of_a_remembered_token_is_refused() -> None:
    private, public = _key("k1")
    verifier = StaticKeyVerifier({"k1": public}, issuer=ISSUER, audience=AUDIENCE)
    token = _mint(private, "k1")
    await verifier.verify(token)
    header, payload, signature = token.split(".")
    tampered = f"{header}.{payload}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"

    with pytest.raises(UnauthorizedError):
        await verifier.verify(tampered)
