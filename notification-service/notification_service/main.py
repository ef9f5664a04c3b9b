import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import TYPE_CHECKING

import httpx
from fastapi import FastAPI

from notification_service.config import NotificationSettings
from notification_service.delivery import EmailWorker
from notification_service.emails import EmailRenderer
from notification_service.mailer import SmtpMailer
from notification_service.models import NotificationStore
from notification_service.push.feed import LiveFeed
from notification_service.push.hub import NotificationHub
from notification_service.redaction import redact_tokens_in_server_logs
from notification_service.routes import live_router, notifications_router
from notification_service.wording import Wording
from service_kit.app import create_service_app
from service_kit.auth import JwksVerifier
from service_kit.health import add_readiness_check
from service_kit.http import create_http_client
from service_kit.mongo import create_mongo_client, mongo_readiness_check, require_mongo
from service_kit.tracing import tracing_of

if TYPE_CHECKING:
    from opentelemetry.sdk.trace.export import SpanExporter

DESCRIPTION = """In-app notifications, their email, and live push for the event-booking platform.

Services store notifications (`POST /notifications`); users read theirs and receive new ones
over `WS /ws/notifications`. Paste an access token from user-service (`POST /login` on port
8000) into **Authorize**. Every error is an RFC 9457 problem body.
"""

EXPOSED_HEADERS = ("X-Unread-Count",)


@asynccontextmanager
async def _background(
    *, hub: NotificationHub, feed: LiveFeed, worker: EmailWorker | None, grace: float
) -> AsyncIterator[None]:
    """Run the live feed and the email worker for as long as the app serves."""
    tasks = [asyncio.create_task(feed.run(), name="live-feed")]
    if worker is not None:
        tasks.append(asyncio.create_task(worker.run(), name="email-worker"))
    try:
        yield
    finally:
        hub.close()  # open sockets are told to reconnect (to another replica)
        if worker is not None:
            worker.stop()
            # Emails in flight may finish (bounded by the SMTP timeout); then it is cancelled.
            await asyncio.wait(tasks[1:], timeout=grace)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def create_app(
    settings: NotificationSettings | None = None,
    *,
    http_transport: httpx.AsyncBaseTransport | None = None,
    span_exporter: "SpanExporter | None" = None,
) -> FastAPI:
    settings = settings or NotificationSettings()
    redact_tokens_in_server_logs()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            tracing = tracing_of(app)
            mongo = create_mongo_client(
                settings.mongo_url,
                app_name=settings.service_name,
                timeout_seconds=settings.mongo_timeout_seconds,
                connect_timeout_seconds=settings.mongo_connect_timeout_seconds,
                journal=settings.journal_writes,
                tracing=tracing,
            )
            stack.push_async_callback(mongo.close)
            http_client = create_http_client(settings, transport=http_transport, tracing=tracing)
            stack.push_async_callback(http_client.aclose)
            await require_mongo(mongo, settings.mongo_url)
            store = await NotificationStore.open(mongo, settings.notification_mongo_db)
            app.state.token_verifier = JwksVerifier.from_settings(settings, http_client)
            hub = NotificationHub()
            feed = LiveFeed(
                store=store,
                hub=hub,
                mode=settings.ws_push_mode,
                poll_seconds=settings.ws_poll_seconds,
            )
            stack.push_async_callback(feed.close)
            await feed.start()
            wording = Wording()
            worker = None
            if settings.email_enabled and settings.email_worker_enabled:
                worker = EmailWorker(
                    store=store,
                    mailer=SmtpMailer(settings),
                    renderer=EmailRenderer(app_url=settings.app_url, wording=wording),
                    settings=settings,
                )
            app.state.store, app.state.hub, app.state.feed = store, hub, feed
            app.state.wording = wording
            app.state.email_worker = worker
            add_readiness_check(app, "mongodb", mongo_readiness_check(mongo))
            grace = settings.smtp_timeout_seconds + 1
            async with _background(hub=hub, feed=feed, worker=worker, grace=grace):
                yield

    app = create_service_app(
        settings=settings,
        title="notification-service",
        description=DESCRIPTION,
        lifespan=lifespan,
        routers=[notifications_router, live_router],
        openapi_tags=[
            {"name": "notifications", "description": "The in-app inbox and its email"},
            {"name": "live", "description": "New notifications pushed over a WebSocket"},
        ],
        expose_headers=EXPOSED_HEADERS,
        span_exporter=span_exporter,
    )
    return app
