"""Crashes between the steps of a ticket change, and the repair that settles them.

A repair pass goes over the whole store, so each test here runs its own event-service on a
database of its own: `events_client` and `event_store` are overridden for this module, and the
counts of each repair report are exact.
"""

import asyncio
from datetime import timedelta
from typing import Any

import httpx
import pytest
from bson import ObjectId

from event_service.models import EventStore, LedgerState, TicketDirection
from event_service.service.inventory import settle
from event_service.service.repair import repair_ticket_ledger
from service_kit.clock import utcnow_ms
from tests.fixtures.events import EventSettingsFactory
from tests.utils.asgi import running_client
from tests.utils.events import (
    assert_accounting_holds,
    change_tickets,
    create_event,
    interrupted_entry,
    move_counter,
)
from tests.utils.users import TestUser

GRACE = timedelta(seconds=5)


@pytest.fixture
def events_client(isolated_events_client: httpx.AsyncClient) -> httpx.AsyncClient:
    return isolated_events_client


@pytest.fixture
def event_store(isolated_event_store: EventStore) -> EventStore:
    return isolated_event_store


async def _interrupted_entry(
    store: EventStore,
    event_id: str,
    reference: str,
    quantity: int,
    *,
    counter_moved: bool,
    state: LedgerState = LedgerState.PENDING,
) -> dict[str, Any]:
    """What a process leaves behind when it dies after step 1 (or step 2) of a reservation."""
    entry = await interrupted_entry(store, ObjectId(event_id), reference, quantity, state=state)
    if counter_moved:
        await move_counter(store, entry)
    return entry


async def _event(events_client: httpx.AsyncClient, organizer: TestUser) -> dict[str, Any]:
    return await create_event(events_client, organizer.headers, total_tickets=10)


async def test_crash_before_counter_aborts_and_a_retry_applies_once(
    events_client: httpx.AsyncClient,
    organizer: TestUser,
    service_headers: dict[str, str],
    event_store: EventStore,
) -> None:
    event = await _event(events_client, organizer)
    entry = await _interrupted_entry(event_store, event["id"], "crash-1", 2, counter_moved=False)

    report = await repair_ticket_ledger(store=event_store, grace=GRACE)
    retry = await change_tickets(events_client, event["id"], service_headers, -2, "crash-1")

    assert report.aborted == 1
    assert retry.json()["available_tickets"] == 8
    assert (await event_store.ledger.find_one({"_id": entry["_id"]}) or {})[
        "state"
    ] == LedgerState.APPLIED
    await assert_accounting_holds(event_store, event["id"])


async def test_crash_after_counter_completes_the_reservation(
    events_client: httpx.AsyncClient, organizer: TestUser, event_store: EventStore
) -> None:
    event = await _event(events_client, organizer)
    entry = await _interrupted_entry(event_store, event["id"], "crash-2", 3, counter_moved=True)

    report = await repair_ticket_ledger(store=event_store, grace=GRACE)

    assert report.completed == 1
    assert (await event_store.ledger.find_one({"_id": entry["_id"]}) or {})[
        "state"
    ] == LedgerState.APPLIED
    final = await assert_accounting_holds(event_store, event["id"])
    assert final["available_tickets"] == 7


async def test_crash_after_settling_only_cleans_the_marker(
    events_client: httpx.AsyncClient, organizer: TestUser, event_store: EventStore
) -> None:
    event = await _event(events_client, organizer)
    await _interrupted_entry(
        event_store, event["id"], "crash-3", 1, counter_moved=True, state=LedgerState.APPLIED
    )

    report = await repair_ticket_ledger(store=event_store, grace=GRACE)

    assert report.cleaned == 1
    assert (await assert_accounting_holds(event_store, event["id"]))["available_tickets"] == 9


async def test_change_that_landed_after_being_declared_interrupted_stands(
    events_client: httpx.AsyncClient, organizer: TestUser, event_store: EventStore
) -> None:
    event = await _event(events_client, organizer)
    entry = await _interrupted_entry(
        event_store, event["id"], "crash-4", 4, counter_moved=True, state=LedgerState.ABORTED
    )

    report = await repair_ticket_ledger(store=event_store, grace=GRACE)

    assert report.completed == 1
    assert (await event_store.ledger.find_one({"_id": entry["_id"]}) or {})[
        "state"
    ] == LedgerState.APPLIED
    assert (await assert_accounting_holds(event_store, event["id"]))["available_tickets"] == 6


async def test_attempt_superseded_by_a_retry_is_undone(
    events_client: httpx.AsyncClient, organizer: TestUser, event_store: EventStore
) -> None:
    event = await _event(events_client, organizer)
    entry = await _interrupted_entry(
        event_store, event["id"], "crash-5", 4, counter_moved=True, state=LedgerState.ABORTED
    )
    await event_store.ledger.update_one(
        {"_id": entry["_id"]},
        {
            "$set": {
                "attempt": ObjectId(),
                "state": LedgerState.REJECTED,
                "reason": "insufficient",
                "detail": "x",
            }
        },
    )

    report = await repair_ticket_ledger(store=event_store, grace=GRACE)

    assert report.undone == 1
    assert (await assert_accounting_holds(event_store, event["id"]))["available_tickets"] == 10


async def test_late_release_after_abort_never_drives_availability_negative(
    events_client: httpx.AsyncClient,
    organizer: TestUser,
    service_headers: dict[str, str],
    event_store: EventStore,
) -> None:
    event = await create_event(events_client, organizer.headers, total_tickets=2)
    await change_tickets(events_client, event["id"], service_headers, -2, "late-r")
    release = await interrupted_entry(
        event_store, ObjectId(event["id"]), "late-r", 2, direction=TicketDirection.RELEASE
    )
    await repair_ticket_ledger(store=event_store, grace=GRACE)  # aborts the stalled release
    await move_counter(event_store, release)  # ... whose counter change lands only now
    resold = await change_tickets(events_client, event["id"], service_headers, -2, "late-x")
    await repair_ticket_ledger(store=event_store, grace=GRACE)

    assert resold.status_code == 200
    final = await assert_accounting_holds(event_store, event["id"])
    assert final["available_tickets"] == 0


async def test_recent_pending_change_is_left_to_its_process(
    events_client: httpx.AsyncClient, organizer: TestUser, event_store: EventStore
) -> None:
    event = await _event(events_client, organizer)
    entry = await _interrupted_entry(event_store, event["id"], "inflight", 1, counter_moved=True)
    await event_store.ledger.update_one(
        {"_id": entry["_id"]}, {"$set": {"attempt_at": utcnow_ms()}}
    )

    await repair_ticket_ledger(store=event_store, grace=GRACE)

    assert (await event_store.ledger.find_one({"_id": entry["_id"]}) or {})[
        "state"
    ] == LedgerState.PENDING
    stored = await event_store.events.find_one({"_id": ObjectId(event["id"])})
    assert stored is not None
    assert stored["pending_ops"] == [{"entry": entry["_id"], "attempt": entry["attempt"]}]
    await repair_ticket_ledger(store=event_store, grace=timedelta(0))
    await assert_accounting_holds(event_store, event["id"])


async def test_two_replicas_repairing_at_once_settle_each_change_once(
    events_client: httpx.AsyncClient, organizer: TestUser, event_store: EventStore
) -> None:
    event = await _event(events_client, organizer)
    for index in range(3):
        await _interrupted_entry(event_store, event["id"], f"both-{index}", 1, counter_moved=True)
    await _interrupted_entry(
        event_store, event["id"], "both-aborted", 2, counter_moved=True, state=LedgerState.ABORTED
    )
    await _interrupted_entry(event_store, event["id"], "both-never", 2, counter_moved=False)

    reports = await asyncio.gather(
        *(repair_ticket_ledger(store=event_store, grace=GRACE) for _ in range(4))
    )

    final = await assert_accounting_holds(event_store, event["id"])
    assert final["available_tickets"] == 5
    assert sum(report.completed for report in reports) == 4
    assert sum(report.cleaned for report in reports) == 4
    assert sum(report.aborted for report in reports) == 1
    assert sum(report.undone for report in reports) == 0


async def test_a_restarted_service_repairs_at_startup(
    events_client: httpx.AsyncClient,
    organizer: TestUser,
    event_store: EventStore,
    make_event_settings: EventSettingsFactory,
    platform_transport: httpx.AsyncBaseTransport,
    isolated_event_database: str,
) -> None:
    from event_service.main import create_app

    event = await _event(events_client, organizer)
    await _interrupted_entry(event_store, event["id"], "restart", 5, counter_moved=True)

    restarted = create_app(
        make_event_settings(event_mongo_db=isolated_event_database, repair_grace_seconds=5),
        http_transport=platform_transport,
    )
    async with running_client(restarted) as client:
        ready = await client.get("/readyz")

    assert ready.json()["checks"] == {"mongodb": "ok"}
    assert (await assert_accounting_holds(event_store, event["id"]))["available_tickets"] == 5


async def test_straggler_applying_after_a_retry_took_over_is_undone(
    events_client: httpx.AsyncClient,
    organizer: TestUser,
    service_headers: dict[str, str],
    event_store: EventStore,
) -> None:
    event = await _event(events_client, organizer)
    entry = await _interrupted_entry(event_store, event["id"], "straggler", 2, counter_moved=False)
    await repair_ticket_ledger(store=event_store, grace=GRACE)  # declared interrupted
    retried = await change_tickets(events_client, event["id"], service_headers, -2, "straggler")
    assert retried.json()["available_tickets"] == 8

    # The first attempt's process wakes up now and carries on from step 2.
    await move_counter(event_store, entry)
    late = await settle(
        store=event_store,
        entry=entry,
        event=await event_store.events.find_one({"_id": entry["event_id"]}),
    )

    assert late["available_tickets"] == 8
    final = await assert_accounting_holds(event_store, event["id"])
    assert final["available_tickets"] == 8


async def test_replay_while_the_first_attempt_runs_waits_and_never_applies_twice(
    events_client: httpx.AsyncClient,
    organizer: TestUser,
    service_headers: dict[str, str],
    event_store: EventStore,
) -> None:
    event = await _event(events_client, organizer)
    entry = await _interrupted_entry(event_store, event["id"], "slow", 3, counter_moved=True)
    await event_store.ledger.update_one(
        {"_id": entry["_id"]}, {"$set": {"attempt_at": utcnow_ms()}}
    )

    async def first_attempt_finishes() -> None:
        await asyncio.sleep(0.3)
        await settle(
            store=event_store,
            entry=entry,
            event=await event_store.events.find_one({"_id": entry["event_id"]}),
        )

    replay, _ = await asyncio.gather(
        change_tickets(events_client, event["id"], service_headers, -3, "slow"),
        first_attempt_finishes(),
    )

    assert replay.status_code == 200
    assert replay.json()["available_tickets"] == 7
    await assert_accounting_holds(event_store, event["id"])
