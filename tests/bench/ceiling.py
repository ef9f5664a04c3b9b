"""Measure the ceiling: the skeleton of the booking path (see `skeleton.py`) under the same load."""

import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

from bson import ObjectId
from pymongo import MongoClient

from tests.bench import cpu
from tests.bench.load import client, fire
from tests.bench.platform import postgres_database
from tests.harness.mongo import provide_mongo
from tests.harness.servers import run_uvicorn


@dataclass(frozen=True)
class Skeleton:
    front: str
    event_id: str


@contextmanager
def run_skeleton(*, workers: int) -> Iterator[Skeleton]:
    with ExitStack() as stack:
        mongo_url = stack.enter_context(provide_mongo())
        database = f"ceiling_{uuid.uuid4().hex[:8]}"
        event_id = ObjectId()
        with MongoClient(mongo_url) as mongo:
            mongo[database]["events"].insert_one({"_id": event_id, "available_tickets": 10**9})
        upstream_env = {"SKELETON_MONGO_URL": mongo_url, "SKELETON_MONGO_DB": database}
        upstreams = [
            stack.enter_context(
                run_uvicorn("tests.bench.skeleton:upstream", env=upstream_env, workers=workers)
            )
            for _ in ("users", "events", "notifications")
        ]
        front = stack.enter_context(
            run_uvicorn(
                "tests.bench.skeleton:front",
                env={
                    "SKELETON_DATABASE_URL": stack.enter_context(
                        postgres_database(stack, "bench_ceiling")
                    ),
                    "SKELETON_USERS_URL": upstreams[0],
                    "SKELETON_EVENTS_URL": upstreams[1],
                    "SKELETON_NOTES_URL": upstreams[2],
                },
                workers=workers,
            )
        )
        yield Skeleton(front=front, event_id=str(event_id))


async def measure_ceiling(*, requests: int, concurrency: int, workers: int) -> dict[str, Any]:
    """Requests per second of the skeleton (every one a booking), with latencies and CPU."""
    with run_skeleton(workers=workers) as skeleton:
        async with client(skeleton.front, concurrency) as front:

            async def book(index: int) -> Any:
                return await front.post(
                    "/bookings", json={"event_id": skeleton.event_id, "tickets": 1 + index % 4}
                )

            await fire(min(requests, 2 * concurrency), concurrency, book)  # warm the pools
            before, started = cpu.snapshot(), time.perf_counter()
            result = await fire(requests, concurrency, book)
            cores = cpu.share(before, cpu.snapshot(), time.perf_counter() - started)
    return {
        "booking_ceiling_per_s": round(result.statuses[201] / result.elapsed, 1),
        "ceiling_requests": requests,
        "ceiling_statuses": dict(result.statuses),
        "ceiling_p50_ms": result.latency_ms(50),
        "ceiling_p99_ms": result.latency_ms(99),
        "ceiling_cpu_cores": cores,
    }
