"""The inventory under concurrency: exact counts whatever the interleaving."""

import asyncio
import random
from collections import Counter

import httpx
from fastapi import FastAPI

from event_service.models import EventStore, LedgerState
from tests.fixtures.events import EventSettingsFactory
from tests.utils.asgi import running_client
from tests.utils.events import assert_accounting_holds, change_tickets, create_event
from tests.utils.users import TestUser


async def test_500_concurrent_single_reservations_sell_exactly_100(
    events_client: httpx.AsyncClient,
    organizer: TestUser,
    service_headers: dict[str, str],
    event_store: EventStore,
) -> None:
    event = await create_event(events_client, organizer.headers, total_tickets=100)

    responses = await asyncio.gather(
        *(
            change_tickets(events_client, event["id"], service_headers, -1, f"booking-{i}")
            for i in range(500)
        )
    )

    assert Counter(response.status_code for response in responses) == {200: 100, 409: 400}
    final = await assert_accounting_holds(event_store, event["id"])
    assert final["available_tickets"] == 0
    assert (
        await event_store.ledger.count_documents(
            {"event_id": final["_id"], "state": LedgerState.APPLIED}
        )
        == 100
    )


async def test_mixed_concurrent_reserves_and_releases_keep_the_invariant(
    events_client: httpx.AsyncClient,
    organizer: TestUser,
    service_headers: dict[str, str],
    event_store: EventStore,
) -> None:
    event = await create_event(events_client, organizer.headers, total_tickets=50)
    held = [f"held-{i}" for i in range(40)]
    for reference in held:
        await change_tickets(events_client, event["id"], service_headers, -1, reference)
    rng = random.Random(7)
    changes = [(1, reference) for reference in held]
    changes += [(-rng.randint(1, 3), f"new-{i}") for i in range(60)]
    rng.shuffle(changes)

    responses = await asyncio.gather(
        *(
            change_tickets(events_client, event["id"], service_headers, delta, reference)
            for delta, reference in changes
        )
    )

    assert {response.status_code for response in responses} <= {200, 409}
    final = await assert_accounting_holds(event_store, event["id"])
    assert final["available_tickets"] >= 0
    outcomes = list(zip(changes, responses, strict=True))
    assert all(response.status_code == 200 for (delta, _), response in outcomes if delta > 0)
    reserved = sum(
        -delta for (delta, _), response in outcomes if delta < 0 and response.status_code == 200
    )
    assert final["available_tickets"] == 50 - reserved


async def test_concurrent_replays_of_one_reference_apply_once(
    events_client: httpx.AsyncClient,
    organizer: TestUser,
    service_headers: dict[str, str],
    event_store: EventStore,
) -> None:
    event = await create_event(events_client, organizer.headers, total_tickets=10)

    reserves = await asyncio.gather(
        *(
            change_tickets(events_client, event["id"], service_headers, -2, "same-booking")
            for _ in range(30)
        )
    )
    releases = await asyncio.gather(
        *(
            change_tickets(events_client, event["id"], service_headers, 2, "same-booking")
            for _ in range(30)
        )
    )

    assert {response.status_code for response in reserves} == {200}
    assert {response.status_code for response in releases} == {200}
    final = await assert_accounting_holds(event_store, event["id"])
    assert final["available_tickets"] == 10


async def test_two_replicas_reserving_together_never_oversell(
    events_client: httpx.AsyncClient,
    event_app: FastAPI,
    organizer: TestUser,
    service_headers: dict[str, str],
    event_store: EventStore,
    make_event_settings: EventSettingsFactory,
    platform_transport: httpx.AsyncBaseTransport,
) -> None:
    from event_service.main import create_app

    event = await create_event(events_client, organizer.headers, total_tickets=30)
    replica = create_app(make_event_settings(), http_transport=platform_transport)
    async with running_client(replica, "http://localhost:8001") as replica_client:
        responses = await asyncio.gather(
            *(
                change_tickets(client, event["id"], service_headers, -1, f"r-{i}")
                for i, client in enumerate([events_client, replica_client] * 50)
            )
        )

    assert Counter(response.status_code for response in responses) == {200: 30, 409: 70}
    await assert_accounting_holds(event_store, event["id"])


async def test_two_replicas_racing_each_release_against_its_reservation_hold_nothing(
    events_client: httpx.AsyncClient,
    organizer: TestUser,
    service_headers: dict[str, str],
    event_store: EventStore,
    make_event_settings: EventSettingsFactory,
    platform_transport: httpx.AsyncBaseTransport,
) -> None:
    """One replica reserves while the other releases the same reference; a release asked to
    retry (its reservation still being applied) is sent again, as callers do."""
    from event_service.main import create_app

    event = await create_event(events_client, organizer.headers, total_tickets=100)
    references = [f"raced-{i}" for i in range(40)]
    replica = create_app(make_event_settings(), http_transport=platform_transport)

    async def release(client: httpx.AsyncClient, reference: str) -> httpx.Response:
        while True:
            response = await change_tickets(client, event["id"], service_headers, 2, reference)
            if response.json().get("reason") != "in-progress":
                return response
            await asyncio.sleep(0.01)

    async with running_client(replica, "http://localhost:8001") as replica_client:
        releases, reserves = await asyncio.gather(
            asyncio.gather(*(release(replica_client, reference) for reference in references)),
            asyncio.gather(
                *(
                    change_tickets(events_client, event["id"], service_headers, -2, reference)
                    for reference in references
                )
            ),
        )

    outcomes = Counter(
        (reserve.json().get("reason", "reserved"), release.json().get("reason", "released"))
        for reserve, release in zip(reserves, releases, strict=True)
    )
    assert set(outcomes) <= {("reserved", "released"), ("released", "not-reserved")}
    final = await assert_accounting_holds(event_store, event["id"])
    assert final["available_tickets"] == 100
