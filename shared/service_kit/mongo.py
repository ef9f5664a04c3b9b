"""MongoDB plumbing for the document services (install `service-kit[mongo]`)."""

from collections.abc import Awaitable, Callable
from typing import Any

from pymongo import AsyncMongoClient

MongoDocument = dict[str, Any]


def create_mongo_client(url: str, *, app_name: str) -> AsyncMongoClient[MongoDocument]:
    """A pooled client; datetimes come back timezone-aware (UTC). It connects lazily."""
    return AsyncMongoClient(
        url,
        appname=app_name,
        tz_aware=True,
        uuidRepresentation="standard",
        serverSelectionTimeoutMS=5000,
    )


def mongo_readiness_check(client: AsyncMongoClient[MongoDocument]) -> Callable[[], Awaitable[Any]]:
    async def check() -> None:
        await client.admin.command("ping")

    return check
