from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import async_sessionmaker

from service_kit.app import create_service_app
from service_kit.auth import StaticKeyVerifier
from service_kit.health import add_readiness_check
from service_kit.loops import background_tasks, run_periodically
from service_kit.sql import (
    create_engine,
    require_database,
    run_migrations,
    sql_readiness_check,
)
from service_kit.tracing import tracing_of
from user_service.config import UserSettings
from user_service.passwords import PasswordHasher
from user_service.routes import auth_router, tokens_router, users_router
from user_service.service import accounts
from user_service.service.housekeeping import housekeeping_pass
from user_service.service.limits import Limits
from user_service.signing import load_signing_key

if TYPE_CHECKING:
    from opentelemetry.sdk.trace.export import SpanExporter

MIGRATIONS = "user_service:migrations"

DESCRIPTION = """Registration, sign-in and profiles for the event-booking platform.

Sign in with **Authorize** (email as username). Every error is an RFC 9457 problem body.
"""


def create_app(
    settings: UserSettings | None = None, *, span_exporter: "SpanExporter | None" = None
) -> FastAPI:
    settings = settings or UserSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(
            settings.user_database_url,
            pool_size=settings.database_pool_size,
            tracing=tracing_of(app),
        )
        await require_database(
            engine, variable=settings.database_url_variable, url=settings.database_url
        )
        if settings.migrate_at_startup:
            await run_migrations(engine, script_location=MIGRATIONS)
        sessionmaker = async_sessionmaker(engine, expire_on_commit=False)
        signing_key = load_signing_key(settings)
        hasher = PasswordHasher(
            time_cost=settings.password_hash_time_cost,
            memory_kib=settings.password_hash_memory_kib,
        )
        app.state.sessionmaker = sessionmaker
        app.state.signing_key = signing_key
        app.state.password_hasher = hasher
        limits = Limits.from_settings(settings)
        app.state.limits = limits
        app.state.token_verifier = StaticKeyVerifier(
            {signing_key.kid: signing_key.as_pyjwk()},
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
        )
        add_readiness_check(app, "database", sql_readiness_check(engine))
        for account in settings.configured_accounts:
            async with sessionmaker() as session:
                await accounts.ensure_account(session=session, hasher=hasher, account=account)
        housekeeping = run_periodically(
            housekeeping_pass(sessionmaker, keep_attempts=limits.longest_window),
            interval=settings.housekeeping_interval_seconds,
            name="housekeeping",
        )
        try:
            async with background_tasks(("housekeeping", housekeeping)):
                yield
        finally:
            await engine.dispose()

    return create_service_app(
        settings=settings,
        title="user-service",
        description=DESCRIPTION,
        lifespan=lifespan,
        routers=[auth_router, tokens_router, users_router],
        openapi_tags=[
            {"name": "auth", "description": "Register, sign in, tokens and signing keys"},
            {"name": "users", "description": "Profiles and user administration"},
        ],
        span_exporter=span_exporter,
    )
