"""The token signing key (user-service alone holds it) and the tokens it mints."""

import base64
import hashlib
import json
import logging
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from jwt.algorithms import OKPAlgorithm, RSAAlgorithm

from user_service.config import UserSettings

logger = logging.getLogger(__name__)

PrivateKey = ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey


def _thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 JWK thumbprint, used as the key id."""
    members = ("crv", "kty", "x") if jwk["kty"] == "OKP" else ("e", "kty", "n")
    canonical = json.dumps({name: jwk[name] for name in members}, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@dataclass(frozen=True)
class SigningKey:
    private_key: PrivateKey
    algorithm: str
    kid: str
    public_jwk: dict[str, str]

    @classmethod
    def from_private_key(cls, private_key: PrivateKey) -> "SigningKey":
        if isinstance(private_key, ed25519.Ed25519PrivateKey):
            algorithm = "EdDSA"
            jwk = json.loads(OKPAlgorithm.to_jwk(private_key.public_key()))
        else:
            algorithm = "RS256"
            jwk = json.loads(RSAAlgorithm.to_jwk(private_key.public_key()))
        kid = _thumbprint(jwk)
        public_jwk = {**jwk, "kid": kid, "alg": algorithm, "use": "sig"}
        return cls(private_key=private_key, algorithm=algorithm, kid=kid, public_jwk=public_jwk)

    @classmethod
    def from_pem(cls, pem: bytes) -> "SigningKey":
        private_key = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(private_key, ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey):
            raise ValueError("the signing key must be an Ed25519 or RSA private key")
        return cls.from_private_key(private_key)

    def as_pyjwk(self) -> jwt.PyJWK:
        return jwt.PyJWK(self.public_jwk)

    def mint(
        self,
        *,
        subject: str,
        role: str,
        email: str | None,
        issuer: str,
        audience: str,
        lifetime: timedelta,
        version: int | None = None,
    ) -> str:
        issued_at = datetime.now(UTC)
        claims: dict[str, Any] = {
            "sub": subject,
            "role": role,
            "iat": issued_at,
            "exp": issued_at + lifetime,
            "iss": issuer,
            "aud": audience,
            "jti": uuid.uuid4().hex,
        }
        if email is not None:
            claims["email"] = email
        if version is not None:
            claims["ver"] = version
        return jwt.encode(
            claims, self.private_key, algorithm=self.algorithm, headers={"kid": self.kid}
        )


def _generate_dev_key(path: Path) -> bytes:
    """Create the development key once; replicas racing here all end up reading the same file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    with os.fdopen(descriptor, "wb") as key_file:
        key_file.write(pem)
    logger.info("generated a development signing key at %s", path)
    return pem


def load_signing_key(settings: UserSettings) -> SigningKey:
    if settings.jwt_private_key is not None:
        return SigningKey.from_pem(settings.jwt_private_key.get_secret_value().encode())
    if settings.jwt_private_key_file is not None:
        return SigningKey.from_pem(settings.jwt_private_key_file.read_bytes())
    path = settings.jwt_dev_key_file
    pem = path.read_bytes() if path.exists() and path.stat().st_size else _generate_dev_key(path)
    return SigningKey.from_pem(pem)
