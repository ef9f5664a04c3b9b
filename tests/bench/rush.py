"""rush: one event, many buyers at once, most of them arriving after the sell-out.

Every attempt books 1-4 tickets (a seeded random draw) as one of the buyers, round robin, with
all of them in flight at once. With `types` > 1 the event sells that many ticket types (the
tickets split evenly) and each attempt books its tickets as `items`, each ticket of a type drawn
at random: one booking may hold several types.

`bookings_per_s` counts confirmed bookings over the time the tickets lasted (until the last
confirmation), `bookings_per_s_to_90pct` until 90% of the tickets were confirmed;
`requests_per_s` every answer over the whole run.
"""

import random
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.bench import cpu, store
from tests.bench.checks import Expected
from tests.bench.load import LoadResult, client, create_event, fire, register_buyers
from tests.bench.platform import Platform, admin_token
from tests.bench.profile import profiling


@dataclass(frozen=True)
class RushSize:
    tickets: int = 1000
    buyers: int = 200
    attempts: int = 5000
    max_tickets: int = 4
    types: int = 1


FULL = RushSize()
QUICK = RushSize(tickets=100, buyers=20, attempts=300)


@dataclass
class RushOutcome:
    figures: dict[str, Any]
    expected: Expected
    result: LoadResult


async def run_rush(
    platform: Platform, size: RushSize, *, seed: int = 11, profile: Sequence[str] = ()
) -> RushOutcome:
    async with client(platform.users, 8) as users:
        admin = await admin_token(users)
        buyers = await register_buyers(users, size.buyers)
    async with client(platform.events, 1) as events:
        event_id, type_ids = await _create_rush_event(events, admin, size)
    draw = random.Random(seed)
    quantities = [draw.randint(1, size.max_tickets) for _ in range(size.attempts)]
    bodies = [_booking_body(event_id, type_ids, quantity, draw) for quantity in quantities]
    async with client(platform.bookings, size.buyers) as bookings:

        async def book(index: int) -> Any:
            return await bookings.post(
                "/bookings", json=bodies[index], headers=buyers[index % size.buyers].auth
            )

        with profiling(list(profile), "rush"):
            counted = store.counters(platform.mongo_url)
            before, started = cpu.snapshot(), time.time()
            result = await fire(
                size.attempts, size.buyers, book, keep_body=lambda r: r.status_code == 201
            )
            cores = cpu.share(before, cpu.snapshot(), result.elapsed)
            served = store.counters(platform.mongo_url)
    expected = Expected()
    confirmed = [call for call in result.calls if call.status == 201]
    for call in confirmed:
        expected.confirmed(call.body["id"], call.finished_at)
    sold_out_after = max((call.finished_at for call in confirmed), default=started) - started
    most_sold_after, most_bookings = _most_sold(confirmed, size.tickets, started)
    figures = {
        "tickets": size.tickets,
        "ticket_types": size.types,
        "buyers": size.buyers,
        "attempts": size.attempts,
        "statuses": dict(sorted(result.statuses.items())),
        "confirmed": len(confirmed),
        "tickets_confirmed": sum(call.body["tickets"] for call in confirmed),
        "elapsed_s": round(result.elapsed, 2),
        "requests_per_s": round(result.per_second, 1),
        "sold_out_after_s": round(sold_out_after, 2),
        "bookings_per_s": round(len(confirmed) / sold_out_after, 1) if sold_out_after else None,
        "sold_90pct_after_s": most_sold_after and round(most_sold_after, 2),
        "bookings_per_s_to_90pct": (
            round(most_bookings / most_sold_after, 1) if most_sold_after else None
        ),
        "p50_ms": result.latency_ms(50),
        "p99_ms": result.latency_ms(99),
        "confirmed_p99_ms": result.latency_ms(99, 201),
        "refused_p99_ms": result.latency_ms(99, 409),
        "timeouts": result.statuses[0],
        "cpu_cores": cores,
        "store_ops_per_booking": store.per_booking(counted, served, len(confirmed)),
    }
    return RushOutcome(figures, expected, result)


async def _create_rush_event(
    events: httpx.AsyncClient, admin: str, size: RushSize
) -> tuple[str, list[str]]:
    """The rush's event: one pool of tickets, or `size.types` types sharing them evenly."""
    if size.types == 1:
        return await create_event(events, admin, size.tickets, "The Rush"), []
    shares = [
        size.tickets // size.types + (i < size.tickets % size.types) for i in range(size.types)
    ]
    kinds = [
        {"name": f"Tier {i + 1}", "price": f"{20 + 10 * i}.00", "capacity": share}
        for i, share in enumerate(shares)
    ]
    created = await events.post(
        "/events",
        headers={"Authorization": f"Bearer {admin}"},
        json={
            "title": "The Rush, in tiers",
            "venue": "Loopback Hall",
            "city": "Benchville",
            "ticket_types": kinds,
            "starts_at": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
        },
    )
    created.raise_for_status()
    event = created.json()
    return event["id"], [kind["id"] for kind in event["ticket_types"]]


def _booking_body(
    event_id: str, type_ids: list[str], quantity: int, draw: random.Random
) -> dict[str, Any]:
    """`quantity` tickets of the one pool, or each of a type drawn at random (as items)."""
    if not type_ids:
        return {"event_id": event_id, "tickets": quantity}
    picked = Counter(draw.choice(type_ids) for _ in range(quantity))
    items = [{"ticket_type_id": kind, "quantity": n} for kind, n in sorted(picked.items())]
    return {"event_id": event_id, "items": items}


def _most_sold(confirmed: list[Any], tickets: int, started: float) -> tuple[float | None, int]:
    """When 90% of the tickets were confirmed (seconds after the start) and by how many
    bookings; (None, 0) if they never were. The last tickets can come back much later (held by
    a booking whose outcome was unknown until recovery released them), so this is the pace of
    the sale itself."""
    sold = 0
    for count, call in enumerate(sorted(confirmed, key=lambda call: call.finished_at), 1):
        sold += call.body["tickets"]
        if sold >= 0.9 * tickets:
            return call.finished_at - started, count
    return None, 0
