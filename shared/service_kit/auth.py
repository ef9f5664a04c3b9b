"""Verifying access tokens and authorising principals.

user-service alone holds the private key and mints tokens. Every service verifies them against
the public keys: user-service directly, the others through its JWKS document, fetched lazily,
cached, and fetched again when a token names a key id not seen before.
"""

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any, Protocol

import httpx
import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer, OAuth2PasswordBearer

from service_kit.caching import RecentAnswers
from service_kit.errors import ForbiddenError, ServiceUnavailableError, UnauthorizedError
from service_kit.openapi import RETRY_AFTER, WWW_AUTHENTICATE, answers
from service_kit.retry import RetryPolicy
from service_kit.settings import ServiceSettings

logger = logging.getLogger(__name__)

# Only asymmetric algorithms: a token signed with HS256 (e.g. keyed with the public key) or
# `alg: none` is refused before any key is consulted.
ALLOWED_ALGORITHMS = ("EdDSA", "RS256")
REQUIRED_CLAIMS = ("sub", "role", "iat", "exp", "iss", "aud")


class Role(StrEnum):
    USER = "user"
    ORGANIZER = "organizer"
    ADMIN = "admin"
    SERVICE = "service"


@dataclass(frozen=True)
class Principal:
    """Who is calling: a person (user, organizer, admin) or another service."""

    subject: str
    role: Role
    email: str | None = None
    claims: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def user_id(self) -> uuid.UUID | None:
        if self.role == Role.SERVICE:
            return None
        try:
            return uuid.UUID(self.subject)
        except ValueError:
            return None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


class TokenVerifier(Protocol):
    async def verify(self, token: str) -> Principal: ...


KeyResolver = Callable[[str | None], Awaitable[jwt.PyJWK | None]]

# How long a verified token is trusted again without checking its signature (each verifier
# keeps its own): the Ed25519 check and the claims' parsing were an eighth of booking-service's
# CPU in a ticket rush, where each buyer sends the same token again and again.
VERIFIED_TOKEN_SECONDS = 60
VERIFIED_TOKENS_KEPT = 10_000


@dataclass(frozen=True)
class _Verified:
    key: jwt.PyJWK
    principal: Principal


class VerifiedTokens:
    """Tokens whose signature and claims were verified moments ago, with the key that did it.

    Such a token is accepted again without a signature check only while that very key is still
    the one its key id resolves to (a rotation or a refetch of the keys ends it) and it has
    not expired; whatever is checked after verification (a token version, say) still is.
    """

    def __init__(self, *, ttl_seconds: float = VERIFIED_TOKEN_SECONDS) -> None:
        self._recent: RecentAnswers[str, _Verified] = RecentAnswers(
            ttl_seconds=ttl_seconds, max_entries=VERIFIED_TOKENS_KEPT
        )

    def get(self, token: str, key: jwt.PyJWK) -> Principal | None:
        verified = self._recent.get(token)
        if verified is None or verified.key is not key:
            return None
        if verified.principal.claims["exp"] <= time.time():
            return None
        return verified.principal

    def put(self, token: str, key: jwt.PyJWK, principal: Principal) -> None:
        self._recent.put(token, _Verified(key, principal))


async def decode_access_token(
    token: str,
    *,
    resolve_key: KeyResolver,
    issuer: str,
    audience: str,
    verified: VerifiedTokens | None = None,
) -> Principal:
    """Verify signature, algorithm, expiry, issuer and audience; return the principal.

    With `verified`, a token it holds for the same key skips the signature check.
    """
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise UnauthorizedError("The access token is malformed.") from exc
    algorithm = header.get("alg")
    if algorithm not in ALLOWED_ALGORITHMS:
        raise UnauthorizedError("The access token's signing algorithm is not accepted.")
    key = await resolve_key(header.get("kid"))
    if key is None or key.algorithm_name != algorithm:
        raise UnauthorizedError("The access token was not signed by a known key.")
    known = verified.get(token, key) if verified is not None else None
    if known is not None:
        return known
    try:
        claims = jwt.decode(
            token,
            key.key,
            algorithms=[algorithm],
            audience=audience,
            issuer=issuer,
            options={"require": list(REQUIRED_CLAIMS)},
        )
    except jwt.ExpiredSignatureError as exc:
        raise UnauthorizedError("The access token has expired.") from exc
    except jwt.PyJWTError as exc:
        raise UnauthorizedError("The access token is invalid.") from exc
    try:
        role = Role(claims["role"])
    except ValueError as exc:
        raise UnauthorizedError("The access token carries an unknown role.") from exc
    principal = Principal(
        subject=str(claims["sub"]), role=role, email=claims.get("email"), claims=claims
    )
    if verified is not None:
        verified.put(token, key, principal)
    return principal


class StaticKeyVerifier:
    """Verifies against keys held in memory (user-service, which owns them)."""

    def __init__(self, keys: Mapping[str, jwt.PyJWK], *, issuer: str, audience: str) -> None:
        self.keys = dict(keys)
        self.issuer = issuer
        self.audience = audience
        self.verified = VerifiedTokens()

    async def _resolve(self, kid: str | None) -> jwt.PyJWK | None:
        return self.keys.get(kid) if kid else None

    async def verify(self, token: str) -> Principal:
        return await decode_access_token(
            token,
            resolve_key=self._resolve,
            issuer=self.issuer,
            audience=self.audience,
            verified=self.verified,
        )


class JwksVerifier:
    """Verifies against user-service's JWKS document, cached for `cache_seconds`."""

    def __init__(
        self,
        *,
        http_client: httpx.AsyncClient,
        jwks_url: str,
        issuer: str,
        audience: str,
        cache_seconds: float = 300,
        min_refetch_seconds: float = 10,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.http_client = http_client
        self.retry = retry or RetryPolicy(budget_seconds=4)
        self.jwks_url = jwks_url
        self.issuer = issuer
        self.audience = audience
        self.cache_seconds = cache_seconds
        # Bounds refetches caused by tokens with made-up key ids.
        self.min_refetch_seconds = min_refetch_seconds
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._lock = asyncio.Lock()
        self.verified = VerifiedTokens()

    @classmethod
    def from_settings(
        cls, settings: ServiceSettings, http_client: httpx.AsyncClient
    ) -> "JwksVerifier":
        assert settings.jwks_url is not None  # filled in by the settings' validator
        return cls(
            http_client=http_client,
            jwks_url=settings.jwks_url,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            cache_seconds=settings.jwks_cache_seconds,
            retry=RetryPolicy(budget_seconds=settings.http_retry_budget_seconds),
        )

    async def _fetch(self) -> None:
        try:
            response = await self.retry.send(self.http_client, "GET", self.jwks_url)
            response.raise_for_status()
            key_set = jwt.PyJWKSet.from_dict(response.json())
        except (httpx.HTTPError, ValueError, jwt.PyJWTError) as exc:
            logger.warning("could not fetch signing keys from %s: %s", self.jwks_url, exc)
            if not self._keys:
                raise ServiceUnavailableError(
                    "Cannot verify access tokens: user-service's signing keys are unavailable.",
                    headers={"Retry-After": "5"},
                    dependency="user-service",
                ) from exc
            return
        self._keys = {key.key_id: key for key in key_set.keys if key.key_id}
        self._fetched_at = time.monotonic()

    async def _resolve(self, kid: str | None) -> jwt.PyJWK | None:
        if kid is None:
            return None
        now = time.monotonic()
        stale = self._fetched_at is None or now - self._fetched_at > self.cache_seconds
        unknown = kid not in self._keys
        may_refetch = self._fetched_at is None or now - self._fetched_at > self.min_refetch_seconds
        if stale or (unknown and may_refetch):
            async with self._lock:
                if self._fetched_at is None or self._fetched_at < now:
                    await self._fetch()
        return self._keys.get(kid)

    async def verify(self, token: str) -> Principal:
        return await decode_access_token(
            token,
            resolve_key=self._resolve,
            issuer=self.issuer,
            audience=self.audience,
            verified=self.verified,
        )


TokenScheme = HTTPBearer | OAuth2PasswordBearer


@dataclass(frozen=True)
class AuthDependencies:
    """FastAPI dependencies resolving the caller from a bearer token.

    The token verifier is `app.state.token_verifier`, set up in each service's lifespan.
    """

    current_principal: Callable[..., Awaitable[Principal]]
    optional_principal: Callable[..., Awaitable[Principal | None]]

    def require_roles(self, *roles: Role) -> Callable[..., Awaitable[Principal]]:
        allowed = frozenset(roles)
        names = ", ".join(sorted(allowed))

        @answers({403: {"description": f"Only for the roles: {names}"}})
        async def principal_with_role(
            principal: Annotated[Principal, Depends(self.current_principal)],
        ) -> Principal:
            if principal.role not in allowed:
                raise ForbiddenError(f"This operation requires one of the roles: {names}.")
            return principal

        return principal_with_role


def build_auth_dependencies(scheme: TokenScheme, *, remote_keys: bool = False) -> AuthDependencies:
    """The dependencies for tokens read by `scheme`.

    `remote_keys`: the app verifies tokens with keys fetched from user-service (`JwksVerifier`),
    so a token can meet a 503 while those keys are unavailable.
    """
    token_answers: dict[int, dict[str, Any]] = {
        401: {
            "description": "The access token is invalid or expired",
            "headers": WWW_AUTHENTICATE,
        }
    }
    if remote_keys:
        token_answers[503] = {
            "description": "Tokens cannot be verified: user-service's signing keys are unavailable",
            "headers": RETRY_AFTER,
        }

    @answers(token_answers)
    async def optional_principal(
        request: Request, credentials: Annotated[object, Depends(scheme)]
    ) -> Principal | None:
        if isinstance(credentials, HTTPAuthorizationCredentials):
            token: object = credentials.credentials
        else:
            token = credentials
        if not token or not isinstance(token, str):
            return None
        verifier: TokenVerifier = request.app.state.token_verifier
        return await verifier.verify(token)

    @answers({401: {"description": "No bearer access token was sent"}})
    async def current_principal(
        principal: Annotated[Principal | None, Depends(optional_principal)],
    ) -> Principal:
        if principal is None:
            raise UnauthorizedError("Sign in: this operation needs a bearer access token.")
        return principal

    return AuthDependencies(
        current_principal=current_principal, optional_principal=optional_principal
    )


# For services other than user-service: paste a token into Swagger's "Authorize".
bearer_auth = build_auth_dependencies(HTTPBearer(auto_error=False), remote_keys=True)

# The signed-in caller of the services that verify tokens with the kit's bearer scheme.
CurrentPrincipal = Annotated[Principal, Depends(bearer_auth.current_principal)]
