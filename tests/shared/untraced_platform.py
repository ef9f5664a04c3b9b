"""Run the four services with tracing off and report what OpenTelemetry did to them.

    python -m tests.shared.untraced_platform   (MONGO_URL and DATA_DIR in the environment)

A program of its own, so that what it finds loaded was loaded by the services and not by
another test. It serves a request that uses each service's store, then lists the OpenTelemetry
SDK, exporter and instrumentation modules loaded, then installs a global tracer provider, as
an operator's agent might, serves the requests again and counts the spans. Prints JSON.
"""

import asyncio
import json
import os
import sys
import uuid
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
from pymongo import AsyncMongoClient

from booking_service.config import BookingSettings
from booking_service.main import create_app as create_booking_app
from event_service.config import EventSettings
from event_service.main import create_app as create_event_app
from notification_service.config import NotificationSettings
from notification_service.main import create_app as create_notification_app
from service_kit.tracing import tracing_of
from tests.utils.asgi import running_client
from user_service.config import UserSettings
from user_service.main import create_app as create_user_app

SDK_PREFIXES = ("opentelemetry.sdk", "opentelemetry.exporter", "opentelemetry.instrumentation")


async def _serve_requests(clients: dict[str, httpx.AsyncClient]) -> dict[str, int]:
    email = f"untraced-{uuid.uuid4().hex[:8]}@example.com"
    body = {"email": email, "password": "untraced password", "full_name": "Untraced"}
    responses = {
        "user-service": await clients["user-service"].post("/register", json=body),
        "event-service": await clients["event-service"].get("/events"),
        "booking-service": await clients["booking-service"].get("/readyz"),
        "notification-service": await clients["notification-service"].get("/readyz"),
    }
    return {name: response.status_code for name, response in responses.items()}


async def main() -> None:
    mongo_url = os.environ["MONGO_URL"]
    data = Path(os.environ["DATA_DIR"])
    suffix = uuid.uuid4().hex[:8]
    apps = {
        "user-service": create_user_app(
            UserSettings(
                env="test",
                user_database_url=f"sqlite:///{data / 'users.db'}",
                jwt_dev_key_file=data / "key.pem",
                password_hash_time_cost=1,
                password_hash_memory_kib=1024,
            )
        ),
        "event-service": create_event_app(
            EventSettings(
                env="test",
                mongo_url=mongo_url,
                event_mongo_db=f"untraced_events_{suffix}",
                repair_interval_seconds=3600,
            )
        ),
        "booking-service": create_booking_app(
            BookingSettings(env="test", booking_database_url=f"sqlite:///{data / 'bookings.db'}")
        ),
        "notification-service": create_notification_app(
            NotificationSettings(
                env="test",
                mongo_url=mongo_url,
                notification_mongo_db=f"untraced_notifications_{suffix}",
                email_worker_enabled=False,
            )
        ),
    }
    report: dict[str, Any] = {
        "tracing": {name: tracing_of(app) is not None for name, app in apps.items()}
    }
    try:
        async with AsyncExitStack() as stack:
            clients = {
                name: await stack.enter_async_context(running_client(app))
                for name, app in apps.items()
            }
            report["statuses"] = await _serve_requests(clients)
            report["loaded"] = sorted(m for m in sys.modules if m.startswith(SDK_PREFIXES))

            from opentelemetry import trace
            from opentelemetry.sdk.trace import TracerProvider
            from opentelemetry.sdk.trace.export import SimpleSpanProcessor
            from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
                InMemorySpanExporter,
            )

            exporter = InMemorySpanExporter()
            provider = TracerProvider()
            provider.add_span_processor(SimpleSpanProcessor(exporter))
            trace.set_tracer_provider(provider)
            report["statuses_under_global_provider"] = await _serve_requests(clients)
            report["spans_under_global_provider"] = len(exporter.get_finished_spans())
    finally:
        mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url)
        for database in (f"untraced_events_{suffix}", f"untraced_notifications_{suffix}"):
            await mongo.drop_database(database)
        await mongo.close()
    print(json.dumps(report))


if __name__ == "__main__":
    asyncio.run(main())
