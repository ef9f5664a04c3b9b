"""Liveness (`/healthz`, no I/O) and readiness (`/readyz`, every store reachable)."""

import asyncio
import logging
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from service_kit.errors import problem_response
from service_kit.metrics import metrics_response

ReadinessCheck = Callable[[], Awaitable[object]]

READINESS_TIMEOUT_SECONDS = 2.0

logger = logging.getLogger(__name__)
router = APIRouter(tags=["ops"])


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    checks: dict[str, str]


def add_readiness_check(app: FastAPI, name: str, check: ReadinessCheck) -> None:
    """Make `/readyz` depend on `check` (an awaitable that raises when `name` is unreachable)."""
    if not hasattr(app.state, "readiness_checks"):
        app.state.readiness_checks = {}
    app.state.readiness_checks[name] = check


async def _run_check(name: str, check: ReadinessCheck) -> tuple[str, str | None]:
    try:
        await asyncio.wait_for(check(), READINESS_TIMEOUT_SECONDS)
    except TimeoutError:
        return name, f"no answer within {READINESS_TIMEOUT_SECONDS:g}s"
    except Exception as exc:
        logger.warning("readiness check %s failed", name, exc_info=True)
        return name, f"unreachable ({type(exc).__name__})"
    return name, None


@router.get("/healthz", response_model=Health, summary="Liveness: the process answers")
async def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Readiness,
    summary="Readiness: every store this service needs is reachable",
    responses={503: {"description": "A dependency is unreachable; `checks` says which"}},
)
async def readyz(request: Request) -> Readiness | JSONResponse:
    checks: dict[str, ReadinessCheck] = getattr(request.app.state, "readiness_checks", {})
    results = await asyncio.gather(*(_run_check(name, check) for name, check in checks.items()))
    failed = {name: error for name, error in results if error is not None}
    report = {name: failed.get(name, "ok") for name, _ in results}
    if failed:
        return problem_response(
            status=503,
            slug="not-ready",
            detail="Unreachable: " + ", ".join(sorted(failed)),
            checks=report,
        )
    return Readiness(status="ready", checks=report)


@router.get("/metrics", include_in_schema=False)
async def metrics() -> Response:
    return metrics_response()
