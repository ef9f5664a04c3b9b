"""People's sessions: registering, signing in, refreshing the tokens and logging out."""

import json
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request, Response, status
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from service_kit.errors import BadRequestError, malformed_json_message
from service_kit.openapi import RETRY_AFTER
from user_service.config import UserSettings
from user_service.deps import (
    ClientAddress,
    HasherDep,
    LimitsDep,
    SessionDep,
    SettingsDep,
    SigningKeyDep,
)
from user_service.models import User
from user_service.schemas import (
    LoginRequest,
    RefreshRequest,
    SessionTokens,
    UserCreate,
    UserPublic,
)
from user_service.service import accounts, sessions, signing_in
from user_service.signing import SigningKey

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
    description="At most `REGISTRATION_LIMIT` registrations per client address (an IPv6 "
    "client by its /64), counted on every replica alike; past it, 429 with `Retry-After`.",
    responses={
        409: {"description": "An account with this email exists"},
        429: {
            "description": "Too many registrations from this address; see `Retry-After`",
            "headers": RETRY_AFTER,
        },
    },
)
async def register(
    user_in: UserCreate,
    session: SessionDep,
    hasher: HasherDep,
    limits: LimitsDep,
    address: ClientAddress,
) -> UserPublic:
    await limits.registration.check(session=session, key=address)
    await limits.registration.record(session=session, key=address)
    user = await accounts.register_user(session=session, hasher=hasher, user_in=user_in)
    return UserPublic.model_validate(user)


async def _session_tokens(
    *,
    session: SessionDep,
    settings: UserSettings,
    key: SigningKey,
    user: User,
    response: Response,
    refresh_token: str | None = None,
) -> SessionTokens:
    """An access token for `user` as the account is now, with the given (or a new) refresh token."""
    response.headers["Cache-Control"] = "no-store"  # tokens: never kept by a cache
    lifetime = timedelta(minutes=settings.access_token_minutes)
    refresh_lifetime = timedelta(days=settings.refresh_token_days)
    if refresh_token is None:
        refresh_token = await sessions.start_session(
            session=session, user=user, lifetime=refresh_lifetime
        )
    token = key.mint(
        subject=str(user.id),
        role=user.role,
        email=user.email,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        lifetime=lifetime,
        version=user.token_version,
    )
    return SessionTokens(
        access_token=token,
        expires_in=int(lifetime.total_seconds()),
        refresh_token=refresh_token,
        refresh_expires_in=int(refresh_lifetime.total_seconds()),
    )


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
    response_model=SessionTokens,
    summary="Sign in with email and password",
    description="Accepts JSON `{email, password}` or the OAuth2 password form "
    "(`username`, `password`), which Swagger's Authorize button uses. Answers a short-lived "
    "access token (`ACCESS_TOKEN_MINUTES`) and a refresh token that renews it once "
    "(`POST /refresh`).",
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
    response: Response,
    session: SessionDep,
    hasher: HasherDep,
    limits: LimitsDep,
    settings: SettingsDep,
    key: SigningKeyDep,
) -> SessionTokens:
    credentials = await _read_login(request)
    user = await signing_in.authenticate(
        session=session,
        hasher=hasher,
        limits=limits,
        email=credentials.email,
        password=credentials.password,
    )
    return await _session_tokens(
        session=session, settings=settings, key=key, user=user, response=response
    )


@router.post(
    "/refresh",
    response_model=SessionTokens,
    summary="Renew the tokens with a refresh token",
    description="Uses the refresh token up and answers a new access token (with the account's "
    "current role) and the next refresh token. Each refresh token works once: presenting a "
    "used one revokes every token of its sign-in. A role or password change, or logging out, "
    "revokes them too.",
    responses={401: {"description": "The refresh token is unknown, expired, used or revoked"}},
)
async def refresh(
    body: RefreshRequest,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    key: SigningKeyDep,
) -> SessionTokens:
    user, successor = await sessions.rotate(
        session=session,
        token=body.refresh_token,
        lifetime=timedelta(days=settings.refresh_token_days),
    )
    return await _session_tokens(
        session=session,
        settings=settings,
        key=key,
        user=user,
        response=response,
        refresh_token=successor,
    )


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Log out: revoke the refresh token and its sign-in",
    description="Revokes every refresh token of the sign-in this one belongs to. The access "
    "token already issued runs out by itself (minutes). An unknown token is ignored, so "
    "logging out twice is harmless.",
)
async def logout(body: RefreshRequest, session: SessionDep) -> Response:
    await sessions.end_session(session=session, token=body.refresh_token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
