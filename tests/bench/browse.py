"""browse: anonymous readers of the catalogue, searching, filtering and opening events."""

import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.bench import cpu
from tests.bench.load import LoadResult, client, run_for
from tests.bench.platform import Platform
from tests.bench.seed import CATEGORIES, CITIES, WORDS


@dataclass(frozen=True)
class BrowseSize:
    events: int = 10_000
    seconds: float = 60
    concurrency: int = 100


FULL = BrowseSize()
QUICK = BrowseSize(events=500, seconds=5, concurrency=10)


def browse_request(draw: random.Random, event_ids: list[str]) -> tuple[str, str, dict[str, str]]:
    """(kind, path, query) of one reader's request: what people do on the events page."""
    roll = draw.random()
    if roll < 0.4:
        return "search", "/events", {"q": draw.choice(WORDS)}
    if roll < 0.6:
        return (
            "filter",
            "/events",
            {"category": draw.choice(CATEGORIES), "city": draw.choice(CITIES)},
        )
    if roll < 0.7:
        after = datetime.now(UTC) + timedelta(days=draw.randint(1, 300))
        return "available", "/events", {"available_only": "true", "starts_after": after.isoformat()}
    return "detail", f"/events/{draw.choice(event_ids)}", {}


async def browse(
    platform: Platform, event_ids: list[str], *, seconds: float, concurrency: int, seed: int = 5
) -> tuple[dict[str, LoadResult], dict[str, float]]:
    """Read for `seconds`; results per kind of request (and `all`), and the CPU cores taken."""
    draw = random.Random(seed)
    async with client(platform.events, concurrency) as events:

        async def read() -> tuple[str, httpx.Response]:
            kind, path, query = browse_request(draw, event_ids)
            return kind, await events.get(path, params=query)

        before, started = cpu.snapshot(), time.perf_counter()
        by_kind = await run_for(seconds, concurrency, read)
        cores = cpu.share(before, cpu.snapshot(), time.perf_counter() - started)
    everything = LoadResult(elapsed=time.perf_counter() - started)
    for result in by_kind.values():
        everything.calls += result.calls
    return {"all": everything, **dict(sorted(by_kind.items()))}, cores


def browse_rows(by_kind: dict[str, LoadResult]) -> list[list[Any]]:
    return [
        [kind, len(r.calls), dict(r.statuses), r.latency_ms(50), r.latency_ms(99)]
        for kind, r in by_kind.items()
    ]
