"""The application factory every service builds on."""

import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute

from service_kit import health
from service_kit.context import REQUEST_ID_HEADER
from service_kit.errors import install_problem_handlers
from service_kit.logging import configure_logging
from service_kit.middleware import RequestContextMiddleware
from service_kit.openapi import GENERIC_RESPONSES, install_answer_documentation
from service_kit.settings import ServiceSettings

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
) -> FastAPI:
    """The app with the kit's middleware, problem handlers, health and metrics.

    `expose_headers` names this service's own response headers that browsers may read.
    """
    configure_logging(
        service=settings.service_name, level=settings.log_level, json_lines=settings.log_json
    )

    @asynccontextmanager
    async def service_lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.readiness_checks = {}
        async with lifespan(app):
            logger.info("%s started (env=%s)", settings.service_name, settings.env.value)
            yield
        logger.info("%s stopped", settings.service_name)

    app = FastAPI(
        title=title,
        description=description,
        version=version,
        lifespan=service_lifespan,
        responses=GENERIC_RESPONSES,
        generate_unique_id_function=_operation_id,
        openapi_tags=[*(openapi_tags or []), {"name": "ops", "description": "Health and metrics"}],
    )
    app.state.settings = settings
    install_problem_handlers(app)
    install_answer_documentation(app)
    for router in routers:
        app.include_router(router)
    app.include_router(health.router)
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
