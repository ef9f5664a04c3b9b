"""Registration, sign-in, service tokens and the public signing keys."""

import base64
import binascii
import json
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Header, Request, status
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from service_kit.auth import Role
from service_kit.errors import BadRequestError, UnauthorizedError, malformed_json_message
from service_kit.openapi import RETRY_AFTER
from user_service.deps import (
    HasherDep,
    LoginPolicyDep,
    SessionDep,
    SettingsDep,
    SigningKeyDep,
)
from user_service.schemas import Jwks, LoginRequest, Token, UserCreate, UserPublic
from user_service.service import accounts, signing_in

router = APIRouter(tags=["auth"])

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_LOGIN_FORM_SCHEMA = {
    "type": "object",
    "required": ["username", "password"],
    "properties": {
        "username": {"type": "string", "description": "The account's email."},
        "password": {"type": "string", "format": "password"},
        "grant_type": {"type": "string", "enum": ["password"]},
    },
}


@router.post(
    "/register",
    response_model=UserPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Create an account",
    responses={409: {"description": "An account with this email exists"}},
)
async def register(user_in: UserCreate, session: SessionDep, hasher: HasherDep) -> UserPublic:
    user = await accounts.register_user(session=session, hasher=hasher, user_in=user_in)
    return UserPublic.model_validate(user)


async def _read_login(request: Request) -> LoginRequest:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw: Any
    try:
        if content_type in _FORM_TYPES:
            form = await request.form()
            raw = {"email": form.get("username"), "password": form.get("password")}
        else:
            raw = await request.json()
    except json.JSONDecodeError as exc:
        raise BadRequestError(malformed_json_message(exc)) from exc
    except ValueError as exc:
        raise BadRequestError("The body must be JSON {email, password} or an OAuth2 form.") from exc
    try:
        return LoginRequest.model_validate(raw)
    except ValidationError as exc:
        errors = [{**error, "loc": ("body", *error["loc"])} for error in exc.errors()]
        raise RequestValidationError(errors) from exc


@router.post(
    "/login",
    response_model=Token,
    summary="Sign in with email and password",
    description="Accepts JSON `{email, password}` or the OAuth2 password form "
    "(`username`, `password`), which Swagger's Authorize button uses.",
    responses={
        400: {"description": "The body is not JSON, or not a form"},
        401: {"description": "Incorrect email or password"},
        422: {"description": "`email` or `password` is missing or invalid"},
        429: {"description": "Too many failed attempts; see `Retry-After`", "headers": RETRY_AFTER},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": LoginRequest.model_json_schema()},
                "application/x-www-form-urlencoded": {"schema": _LOGIN_FORM_SCHEMA},
            },
        }
    },
)
async def login(
    request: Request,
    session: SessionDep,
    hasher: HasherDep,
    policy: LoginPolicyDep,
    settings: SettingsDep,
    key: SigningKeyDep,
) -> Token:
    credentials = await _read_login(request)
    user = await signing_in.authenticate(
        session=session,
        hasher=hasher,
        policy=policy,
        email=credentials.email,
        password=credentials.password,
    )
    lifetime = timedelta(minutes=settings.access_token_minutes)
    token = key.mint(
        subject=str(user.id),
        role=user.role,
        email=user.email,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        lifetime=lifetime,
    )
    return Token(access_token=token, expires_in=int(lifetime.total_seconds()))


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
    "`client_secret` in the form or as HTTP Basic credentials. The token has role `service`.",
    responses={
        400: {"description": "Unsupported grant type"},
        401: {"description": "Unknown client or wrong secret"},
    },
)
async def issue_service_token(
    grant_type: Annotated[str, Form(max_length=64)],
    settings: SettingsDep,
    key: SigningKeyDep,
    client_id: Annotated[str | None, Form(max_length=200)] = None,
    client_secret: Annotated[str | None, Form(max_length=500)] = None,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Token:
    if grant_type != "client_credentials":
        raise BadRequestError("Only grant_type=client_credentials is supported here.")
    basic = _basic_credentials(authorization)
    if basic is not None:
        client_id, client_secret = basic
    if (
        not client_id
        or client_secret is None
        or not signing_in.verify_client_credentials(
            settings=settings, client_id=client_id, client_secret=client_secret
        )
    ):
        raise UnauthorizedError("Unknown client or wrong client secret.")
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
