"""The load generator: many concurrent callers, every call timed, nothing asserted about time."""

import asyncio
import statistics
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from service_kit.transport import PooledTransport
from tests.bench.platform import BUYER_PASSWORD, login

# One client for every scenario and the ceiling: the same overhead on every figure.
CLIENT_TIMEOUT = httpx.Timeout(60.0)


@dataclass
class Call:
    status: int
    latency: float
    finished_at: float  # time.time(), to compare with the stores' timestamps
    body: Any = None
    index: int = -1  # which of `fire`'s requests


@dataclass
class LoadResult:
    calls: list[Call] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def statuses(self) -> Counter[int]:
        return Counter(call.status for call in self.calls)

    def latency_ms(self, quantile: int, status: int | None = None) -> float | None:
        latencies = [c.latency for c in self.calls if status is None or c.status == status]
        return percentile(latencies, quantile)

    @property
    def per_second(self) -> float:
        return len(self.calls) / self.elapsed if self.elapsed else 0.0


def percentile(values: list[float], quantile: int) -> float | None:
    """The `quantile`th percentile of seconds, in milliseconds (None without values)."""
    if not values:
        return None
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[quantile - 1] * 1000


def client(base_url: str, concurrency: int) -> httpx.AsyncClient:
    """httpx over the services' own transport: with httpcore's pool, 200 callers cost the
    load generator most of a core (0.8 of the rush's 2), more than any service it measured."""
    return httpx.AsyncClient(
        base_url=base_url,
        transport=PooledTransport(concurrency),
        timeout=CLIENT_TIMEOUT,
        trust_env=False,
    )


async def fire(
    requests: int,
    concurrency: int,
    send: Callable[[int], Awaitable[httpx.Response]],
    *,
    keep_body: Callable[[httpx.Response], bool] = lambda response: False,
) -> LoadResult:
    """Send `requests` calls from `concurrency` callers, each call timed.

    A call that fails without an answer (a timeout, a reset) counts as status 0.
    """
    result = LoadResult()
    indexes = iter(range(requests))

    async def caller() -> None:
        for index in indexes:
            started = time.perf_counter()
            try:
                response = await send(index)
            except httpx.HTTPError:
                result.calls.append(
                    Call(0, time.perf_counter() - started, time.time(), index=index)
                )
                continue
            body = response.json() if keep_body(response) else None
            result.calls.append(
                Call(response.status_code, time.perf_counter() - started, time.time(), body, index)
            )

    started = time.perf_counter()
    await asyncio.gather(*(caller() for _ in range(concurrency)))
    result.elapsed = time.perf_counter() - started
    return result


async def run_for(
    seconds: float, concurrency: int, send: Callable[[], Awaitable[tuple[str, httpx.Response]]]
) -> dict[str, LoadResult]:
    """Call `send` from `concurrency` callers for `seconds`; results per operation it names."""
    results: dict[str, LoadResult] = {}
    deadline = time.perf_counter() + seconds

    async def caller() -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                operation, response = await send()
            except httpx.HTTPError:
                results.setdefault("error", LoadResult()).calls.append(
                    Call(0, time.perf_counter() - started, time.time())
                )
                continue
            results.setdefault(operation, LoadResult()).calls.append(
                Call(response.status_code, time.perf_counter() - started, time.time())
            )

    started = time.perf_counter()
    await asyncio.gather(*(caller() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    for result in results.values():
        result.elapsed = elapsed
    return results


@dataclass(frozen=True)
class Buyer:
    email: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


async def register_buyers(users: httpx.AsyncClient, count: int) -> list[Buyer]:
    """`count` new accounts, registered and logged in a few at a time."""
    gate = asyncio.Semaphore(8)
    run = uuid.uuid4().hex[:8]

    async def one(index: int) -> Buyer:
        email = f"buyer-{run}-{index}@example.com"
        async with gate:
            body = {"email": email, "password": BUYER_PASSWORD, "full_name": f"Buyer {index}"}
            (await users.post("/register", json=body)).raise_for_status()
            return Buyer(email, await login(users, email, BUYER_PASSWORD))

    return list(await asyncio.gather(*(one(index) for index in range(count))))


async def create_event(events: httpx.AsyncClient, admin: str, tickets: int, title: str) -> str:
    created = await events.post(
        "/events",
        headers={"Authorization": f"Bearer {admin}"},
        json={
            "title": title,
            "venue": "Loopback Hall",
            "city": "Benchville",
            "total_tickets": tickets,
            "price": "25.00",
            "starts_at": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
        },
    )
    created.raise_for_status()
    event_id: str = created.json()["id"]
    return event_id
