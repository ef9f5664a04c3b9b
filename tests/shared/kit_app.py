"""A small app built on the kit alone, to test the kit's behaviour apart from any service."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Depends, FastAPI
from pydantic import BaseModel

from service_kit.app import create_service_app
from service_kit.auth import Principal, Role, TokenVerifier, bearer_auth
from service_kit.errors import ConflictError
from service_kit.health import ReadinessCheck, add_readiness_check
from service_kit.settings import ServiceSettings

if TYPE_CHECKING:
    from opentelemetry.sdk.trace.export import SpanExporter

router = APIRouter(tags=["kit"])


@router.get("/items/{item_id}")
async def read_item(item_id: int) -> dict[str, int]:
    return {"item_id": item_id}


@router.get("/boom")
async def boom() -> None:
    raise RuntimeError("secret internals: db password is hunter2")


class Item(BaseModel):
    name: str
    quantity: int


@router.post("/items", status_code=201)
async def create_item(item: Item) -> Item:
    return item


@router.post("/conflict", responses={409: {"description": "Not enough tickets"}})
async def conflict() -> None:
    raise ConflictError("Only 2 tickets left.", available_tickets=2)


@router.get("/whoami")
async def whoami(
    principal: Annotated[Principal, Depends(bearer_auth.current_principal)],
) -> dict[str, str]:
    return {"subject": principal.subject, "role": principal.role}


@router.get("/admin-only")
async def admin_only(
    principal: Annotated[Principal, Depends(bearer_auth.require_roles(Role.ADMIN, Role.SERVICE))],
) -> dict[str, str]:
    return {"role": principal.role}


def create_kit_app(
    *,
    readiness: dict[str, ReadinessCheck] | None = None,
    token_verifier: TokenVerifier | None = None,
    settings: ServiceSettings | None = None,
    span_exporter: "SpanExporter | None" = None,
    routers: tuple[APIRouter, ...] = (),
) -> FastAPI:
    settings = settings or ServiceSettings(service_name="kit-test", env="test")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        for name, check in (readiness or {}).items():
            add_readiness_check(app, name, check)
        app.state.token_verifier = token_verifier
        yield

    return create_service_app(
        settings=settings,
        title="kit-test",
        description="kit",
        lifespan=lifespan,
        routers=[router, *routers],
        span_exporter=span_exporter,
    )
