"""The application factory every service builds on."""

import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute

from service_kit import health
from service_kit.context import REQUEST_ID_HEADER
from service_kit.docs import install_offline_docs
from service_kit.errors import install_problem_handlers
from service_kit.limits import RequestBodyLimit
from service_kit.logging import configure_logging
from service_kit.middleware import RequestContextMiddleware
from service_kit.openapi import GENERIC_RESPONSES, install_answer_documentation
from service_kit.settings import MongoServiceSettings, ServiceSettings
from service_kit.text import refuse_unstorable_text
from service_kit.tracing import fastapi_telemetry, start_tracing

if TYPE_CHECKING:
    from opentelemetry.sdk.trace.export import SpanExporter

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]

logger = logging.getLogger(__name__)


def _operation_id(route: APIRoute) -> str:
    """Operation ids read `users-read_user`, which generated clients turn into tidy names."""
    tag = route.tags[0] if route.tags else "default"
    return f"{tag}-{route.name}"


def create_service_app(
    *,
    settings: ServiceSettings,
    title: str,
    description: str,
    version: str = "0.1.0",
    lifespan: Lifespan,
    routers: Sequence[APIRouter],
    openapi_tags: list[dict[str, Any]] | None = None,
    expose_headers: Sequence[str] = (),
    span_exporter: "SpanExporter | None" = None,
) -> FastAPI:
    """The app with the kit's middleware, problem handlers, health and metrics, and tracing
    when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (see `service_kit.tracing`).

    `expose_headers` names this service's own response headers that browsers may read.
    `span_exporter` traces to that exporter whatever the settings say (tests).
    """
    tracing = start_tracing(settings, exporter=span_exporter)
    configure_logging(
        service=settings.service_name,
        level=settings.log_level,
        json_lines=settings.log_json,
        trace_ids=tracing is not None,
    )

    @asynccontextmanager
    async def service_lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.readiness_checks = {}
        try:
            async with lifespan(app):
                logger.info("%s started (env=%s)", settings.service_name, settings.env.value)
                yield
        finally:
            if tracing is not None:
                await tracing.shutdown()
        logger.info("%s stopped", settings.service_name)

    app = FastAPI(
        title=title,
        description=description,
        version=version,
        lifespan=service_lifespan,
        responses=GENERIC_RESPONSES,
        generate_unique_id_function=_operation_id,
        openapi_tags=[*(openapi_tags or []), {"name": "ops", "description": "Health and metrics"}],
        telemetry=fastapi_telemetry(tracing),
        docs_url=None,
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
        dependencies=[Depends(refuse_unstorable_text)],
    )
    install_offline_docs(app, title=title)
    app.state.settings = settings
    app.state.tracing = tracing
    install_problem_handlers(app)
    if isinstance(settings, MongoServiceSettings):
        from service_kit.mongo import install_mongo_outage_problems  # the [mongo] extra

        install_mongo_outage_problems(app, retry_after_seconds=settings.store_retry_after_seconds)
    install_answer_documentation(app)
    for router in routers:
        app.include_router(router)
    app.include_router(health.router)
    app.add_middleware(RequestBodyLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_credentials="*" not in settings.cors_origins,
        allow_methods=["*"],
        allow_headers=["*"],
        expose_headers=[REQUEST_ID_HEADER, "X-Total-Count", "Retry-After", *expose_headers],
    )
    app.add_middleware(RequestContextMiddleware, service=settings.service_name)
    return app
