"""MongoDB plumbing for the document services (install `service-kit[mongo]`).

While MongoDB cannot be reached, an operation waits at most `MONGO_TIMEOUT_SECONDS` for it and the
request is answered 503 with `Retry-After`, naming the store (`install_mongo_outage_problems`,
which the app factory installs for every `MongoServiceSettings` service), not a 500 after the
driver's default of half a minute.
"""

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pymongo import AsyncMongoClient
from pymongo.errors import ConnectionFailure

from service_kit.deps import app_state
from service_kit.errors import problem_response
from service_kit.openapi import RETRY_AFTER, answers
from service_kit.stores import require_reachable
from service_kit.tracing import Tracing

MongoDocument = dict[str, Any]
DEFAULT_TIMEOUT_SECONDS = 1.5
DEFAULT_CONNECT_TIMEOUT_SECONDS = 5.0
STORE_UNAVAILABLE_ANSWER: dict[int, dict[str, Any]] = {
    503: {
        "description": "MongoDB, where the service keeps its data, cannot be reached; see "
        "`Retry-After`",
        "headers": RETRY_AFTER,
    }
}

logger = logging.getLogger(__name__)


def create_mongo_client(
    url: str,
    *,
    app_name: str,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    connect_timeout_seconds: float = DEFAULT_CONNECT_TIMEOUT_SECONDS,
    journal: bool = False,
    tracing: Tracing | None = None,
) -> AsyncMongoClient[MongoDocument]:
    """A pooled client; datetimes come back timezone-aware (UTC). It connects lazily.

    An operation waits at most `timeout_seconds` for a reachable server, and opening a
    connection (or a monitor's check) at most `connect_timeout_seconds` for a server that has
    vanished from the network without refusing: the driver's 20 s default held a stopping
    service past a container runtime's 10 s grace when compose took MongoDB away with it.
    With `journal`, a write is acknowledged only once it is in the server's journal, so that it
    survives a crash of the server (otherwise the URL's write concern, or the server's default,
    applies). With `tracing`, each command is a span.
    """
    options: dict[str, Any] = {"journal": True} if journal else {}
    return AsyncMongoClient(
        url,
        appname=app_name,
        tz_aware=True,
        uuidRepresentation="standard",
        serverSelectionTimeoutMS=int(timeout_seconds * 1000),
        connectTimeoutMS=int(connect_timeout_seconds * 1000),
        event_listeners=tracing.mongo_listeners() if tracing is not None else [],
        **options,
    )


def mongo_store(name: str = "store") -> Callable[[Request], Any]:
    """`app_state(name)` for a store kept in MongoDB: its operations document the outage 503."""
    return answers(STORE_UNAVAILABLE_ANSWER)(app_state(name))


def install_mongo_outage_problems(app: FastAPI, *, retry_after_seconds: int) -> None:
    """Answer a request that found MongoDB unreachable with 503, `Retry-After` and the store."""

    async def on_unreachable(request: Request, exc: Exception) -> JSONResponse:
        logger.warning("MongoDB unreachable (%s)", type(exc).__name__)
        return problem_response(
            status=503,
            slug="store-unavailable",
            detail="MongoDB, where this service keeps its data, cannot be reached; try again "
            "shortly.",
            headers={"Retry-After": str(retry_after_seconds)},
            instance=request.url.path,
            store="mongodb",
        )

    app.add_exception_handler(ConnectionFailure, on_unreachable)


def mongo_readiness_check(client: AsyncMongoClient[MongoDocument]) -> Callable[[], Awaitable[Any]]:
    async def check() -> None:
        await client.admin.command("ping")

    return check


async def require_mongo(client: AsyncMongoClient[MongoDocument], url: str) -> None:
    """Fail the start with one clear line when MongoDB cannot be reached."""
    await require_reachable(
        mongo_readiness_check(client),
        store="MongoDB",
        variable="MONGO_URL",
        url=url,
        hint="Start it first (`make mongo` runs a local one, `make dev` runs everything) "
        "or point MONGO_URL at yours.",
    )
