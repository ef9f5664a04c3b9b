from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import TYPE_CHECKING

import httpx
from fastapi import FastAPI

from event_service.clients.users import AccessStates
from event_service.config import EventSettings
from event_service.models import EventStore
from event_service.routes import events_router, ticket_types_router, tickets_router
from event_service.service.directory import Directory
from event_service.service.listings import RecentListings
from event_service.service.repair import repair_ticket_ledger, run_repair_loop
from event_service.service.ticket_types import type_untyped_events
from service_kit.app import create_service_app
from service_kit.auth import JwksVerifier
from service_kit.health import add_readiness_check
from service_kit.http import create_http_client
from service_kit.loops import background_tasks, run_periodically
from service_kit.mongo import create_mongo_client, mongo_readiness_check, require_mongo
from service_kit.retry import RetryPolicy
from service_kit.service_auth import ServiceAuth, ServiceTokenProvider
from service_kit.tracing import tracing_of

if TYPE_CHECKING:
    from opentelemetry.sdk.trace.export import SpanExporter

DESCRIPTION = """Events and their ticket availability for the event-booking platform.

Paste an access token from user-service (`POST /login` on port 8000) into **Authorize**.
Every error is an RFC 9457 problem body.
"""


def create_app(
    settings: EventSettings | None = None,
    *,
    http_transport: httpx.AsyncBaseTransport | None = None,
    span_exporter: "SpanExporter | None" = None,
) -> FastAPI:
    settings = settings or EventSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        tracing = tracing_of(app)
        mongo = create_mongo_client(
            settings.mongo_url,
            app_name=settings.service_name,
            timeout_seconds=settings.mongo_timeout_seconds,
            connect_timeout_seconds=settings.mongo_connect_timeout_seconds,
            journal=settings.journal_writes,
            tracing=tracing,
        )
        http_client = create_http_client(settings, transport=http_transport, tracing=tracing)
        await require_mongo(mongo, settings.mongo_url)
        store = await EventStore.open(mongo, settings.event_mongo_db)
        app.state.store = store
        directory = (
            Directory(store, refresh_seconds=settings.catalogue_refresh_seconds)
            if settings.catalogue_directory
            else None
        )
        app.state.directory = directory
        app.state.listings = RecentListings(
            ttl_seconds=settings.listing_cache_seconds,
            on_change=directory.mark_stale if directory else None,
        )
        app.state.token_verifier = JwksVerifier.from_settings(settings, http_client)
        assert settings.service_client_id is not None
        assert settings.service_client_secret is not None
        app.state.access_states = AccessStates(
            http=http_client,
            base_url=settings.user_service_url,
            auth=ServiceAuth(
                ServiceTokenProvider(
                    http_client=http_client,
                    token_url=settings.token_url,
                    client_id=settings.service_client_id,
                    client_secret=settings.service_client_secret,
                )
            ),
            retry=RetryPolicy(budget_seconds=settings.http_retry_budget_seconds),
            cache_seconds=settings.token_version_cache_seconds,
        )
        add_readiness_check(app, "mongodb", mongo_readiness_check(mongo))
        await type_untyped_events(store=store)
        grace = timedelta(seconds=settings.repair_grace_seconds)
        await repair_ticket_ledger(store=store, grace=grace)
        repair = run_repair_loop(
            store=store, grace=grace, interval=settings.repair_interval_seconds
        )
        jobs = [("ticket-ledger-repair", repair)]
        if directory is not None:
            await directory.load()
            jobs.append(
                (
                    "catalogue-directory",
                    run_periodically(
                        directory.refresh,
                        interval=settings.catalogue_refresh_seconds,
                        name="catalogue directory refresh",
                    ),
                )
            )
        try:
            async with background_tasks(*jobs):
                yield
        finally:
            await http_client.aclose()
            await mongo.close()

    return create_service_app(
        settings=settings,
        title="event-service",
        description=DESCRIPTION,
        lifespan=lifespan,
        routers=[events_router, ticket_types_router, tickets_router],
        openapi_tags=[
            {"name": "events", "description": "The event catalogue"},
            {"name": "tickets", "description": "Reserving and releasing tickets"},
        ],
        span_exporter=span_exporter,
    )
