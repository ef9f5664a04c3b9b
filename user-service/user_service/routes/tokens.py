"""Service tokens (OAuth2 client credentials) and the public signing keys."""

import base64
import binascii
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Header, Response

from service_kit.auth import Role
from service_kit.errors import BadRequestError
from service_kit.openapi import RETRY_AFTER
from user_service.deps import (
    ClientAddress,
    LimitsDep,
    SessionDep,
    SettingsDep,
    SigningKeyDep,
)
from user_service.schemas import Jwks, Token
from user_service.service import signing_in

router = APIRouter(tags=["auth"])


def _basic_credentials(authorization: str | None) -> tuple[str, str] | None:
    if not authorization or not authorization.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(authorization[6:], validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, separator, client_secret = decoded.partition(":")
    return (client_id, client_secret) if separator else None


@router.post(
    "/token",
    response_model=Token,
    summary="Service token (OAuth2 client credentials)",
    description="For the other services: `grant_type=client_credentials` with `client_id` and "
    "`client_secret` in the form or as HTTP Basic credentials. The token has role `service`. "
    "Failures are counted per client address (`TOKEN_FAILURE_LIMIT_PER_ADDRESS`) and per "
    "client id (`TOKEN_FAILURE_LIMIT_PER_CLIENT`); past either, 429 with `Retry-After`.",
    responses={
        400: {"description": "Unsupported grant type"},
        401: {"description": "Unknown client or wrong secret"},
        429: {
            "description": "Too many failures from this address or for this client; see "
            "`Retry-After`",
            "headers": RETRY_AFTER,
        },
    },
)
async def issue_service_token(
    response: Response,
    grant_type: Annotated[str, Form(max_length=64)],
    settings: SettingsDep,
    key: SigningKeyDep,
    session: SessionDep,
    limits: LimitsDep,
    address: ClientAddress,
    client_id: Annotated[str | None, Form(max_length=200)] = None,
    client_secret: Annotated[str | None, Form(max_length=500)] = None,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Token:
    if grant_type != "client_credentials":
        raise BadRequestError("Only grant_type=client_credentials is supported here.")
    basic = _basic_credentials(authorization)
    if basic is not None:
        client_id, client_secret = basic
    client_id = await signing_in.authenticate_client(
        session=session,
        settings=settings,
        limits=limits,
        client_id=client_id,
        client_secret=client_secret,
        address=address,
    )
    response.headers["Cache-Control"] = "no-store"  # tokens: never kept by a cache
    lifetime = timedelta(minutes=settings.service_token_minutes)
    token = key.mint(
        subject=client_id,
        role=Role.SERVICE,
        email=None,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        lifetime=lifetime,
    )
    return Token(access_token=token, expires_in=int(lifetime.total_seconds()))


@router.get(
    "/.well-known/jwks.json",
    response_model=Jwks,
    summary="Public keys that verify access tokens",
)
async def jwks(key: SigningKeyDep) -> Jwks:
    return Jwks(keys=[key.public_jwk])
