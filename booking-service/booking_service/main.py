from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import TYPE_CHECKING

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import async_sessionmaker

from booking_service.clients import create_clients
from booking_service.clients.notifications import NotificationsClient
from booking_service.config import BookingSettings
from booking_service.routes import bookings_router
from booking_service.service.admission import Admission
from booking_service.service.outbox import OutboxRelay
from booking_service.service.recovery import run_recovery_loop
from service_kit.app import create_service_app
from service_kit.auth import JwksVerifier
from service_kit.health import add_readiness_check
from service_kit.http import create_http_client
from service_kit.loops import background_tasks
from service_kit.service_auth import ServiceAuth, ServiceTokenProvider
from service_kit.sql import (
    create_engine,
    require_database,
    run_migrations,
    sql_readiness_check,
)
from service_kit.tracing import tracing_of

if TYPE_CHECKING:
    from opentelemetry.sdk.trace.export import SpanExporter

MIGRATIONS = "booking_service:migrations"

DESCRIPTION = """Bookings for the event-booking platform: reserve tickets, confirm, notify.

Paste an access token from user-service (`POST /login` on port 8000) into **Authorize**.
Every error is an RFC 9457 problem body.
"""


def create_app(
    settings: BookingSettings | None = None,
    *,
    http_transport: httpx.AsyncBaseTransport | None = None,
    span_exporter: "SpanExporter | None" = None,
) -> FastAPI:
    settings = settings or BookingSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        tracing = tracing_of(app)
        engine = create_engine(
            settings.booking_database_url,
            pool_size=settings.database_pool_size,
            tracing=tracing,
        )
        await require_database(
            engine, variable=settings.database_url_variable, url=settings.database_url
        )
        if settings.migrate_at_startup:
            await run_migrations(engine, script_location=MIGRATIONS)
        sessions = async_sessionmaker(engine, expire_on_commit=False)
        http_client = create_http_client(settings, transport=http_transport, tracing=tracing)
        assert settings.service_client_id is not None
        assert settings.service_client_secret is not None
        auth = ServiceAuth(
            ServiceTokenProvider(
                http_client=http_client,
                token_url=settings.token_url,
                client_id=settings.service_client_id,
                client_secret=settings.service_client_secret,
            )
        )
        clients = create_clients(
            http=http_client,
            auth=auth,
            user_service_url=settings.user_service_url,
            event_service_url=settings.event_service_url,
            budget_seconds=settings.booking_dependency_budget_seconds,
            sold_out_cache_seconds=settings.sold_out_cache_seconds,
            user_cache_seconds=settings.user_cache_seconds,
        )
        relay = OutboxRelay(
            sessions=sessions,
            notifications=NotificationsClient(
                http=http_client, base_url=settings.notification_service_url, auth=auth
            ),
            poll_seconds=settings.outbox_poll_seconds,
            batch_size=settings.outbox_batch_size,
            max_attempts=settings.outbox_max_attempts,
            backoff_base_seconds=settings.outbox_backoff_seconds,
            backoff_max_seconds=settings.outbox_backoff_max_seconds,
            lease_seconds=settings.outbox_lease_seconds,
        )
        app.state.token_verifier = JwksVerifier.from_settings(settings, http_client)
        app.state.sessions = sessions
        app.state.clients = clients
        app.state.outbox_relay = relay
        app.state.admission = Admission(
            limit=settings.booking_max_in_flight, wait_seconds=settings.booking_queue_wait_seconds
        )
        add_readiness_check(app, "database", sql_readiness_check(engine))
        recovery = run_recovery_loop(
            sessions=sessions,
            clients=clients,
            grace=timedelta(seconds=settings.recovery_grace_seconds),
            interval=settings.recovery_interval_seconds,
        )
        try:
            async with background_tasks(
                ("outbox-relay", relay.run()), ("booking-recovery", recovery)
            ):
                yield
        finally:
            await http_client.aclose()
            await engine.dispose()

    return create_service_app(
        settings=settings,
        title="booking-service",
        description=DESCRIPTION,
        lifespan=lifespan,
        routers=[bookings_router],
        openapi_tags=[{"name": "bookings", "description": "Book, list and cancel"}],
        span_exporter=span_exporter,
    )
