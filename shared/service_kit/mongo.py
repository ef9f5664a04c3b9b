"""MongoDB plumbing for the document services (install `service-kit[mongo]`)."""

from collections.abc import Awaitable, Callable
from typing import Any

from pymongo import AsyncMongoClient

from service_kit.stores import require_reachable
from service_kit.tracing import Tracing

MongoDocument = dict[str, Any]


def create_mongo_client(
    url: str, *, app_name: str, tracing: Tracing | None = None
) -> AsyncMongoClient[MongoDocument]:
    """A pooled client; datetimes come back timezone-aware (UTC). It connects lazily.

    With `tracing`, each command is a span.
    """
    return AsyncMongoClient(
        url,
        appname=app_name,
        tz_aware=True,
        uuidRepresentation="standard",
        serverSelectionTimeoutMS=5000,
        event_listeners=tracing.mongo_listeners() if tracing is not None else [],
    )


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
