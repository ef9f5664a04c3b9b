"""Organizers managing ticket types: adding one, changing its rules and capacity; events stored
before ticket types; a crash in the middle of a change of several types."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from bson import ObjectId

from event_service.models import Document, EventStore, LedgerState
from event_service.service.repair import repair_ticket_ledger
from event_service.service.ticket_types import type_untyped_events
from tests.utils.events import (
    assert_accounting_holds,
    change_tickets,
    create_event,
    insert_event,
    interrupted_entry,
    move_counter,
)
from tests.utils.users import TestUser, assert_problem


@pytest.fixture
async def event(events_client: httpx.AsyncClient, organizer: TestUser) -> dict[str, Any]:
    return await create_event(events_client, organizer.headers, total_tickets=10)


async def _add(
    client: httpx.AsyncClient, event_id: str, headers: dict[str, str], **kind: Any
) -> httpx.Response:
    body = {"name": "VIP", "price": "90.00", "capacity": 4, **kind}
    return await client.post(f"/events/{event_id}/ticket_types", json=body, headers=headers)


async def _patch(
    client: httpx.AsyncClient, event_id: str, type_id: str, headers: dict[str, str], **changes: Any
) -> httpx.Response:
    return await client.patch(
        f"/events/{event_id}/ticket_types/{type_id}", json=changes, headers=headers
    )


async def test_added_type_joins_the_events_counters_and_is_sold(
    events_client: httpx.AsyncClient,
    event: dict[str, Any],
    organizer: TestUser,
    service_headers: dict[str, str],
    event_store: EventStore,
) -> None:
    added = await _add(events_client, event["id"], organizer.headers)
    assert added.status_code == 201, added.text
    vip = added.json()["ticket_types"][1]

    sold = await events_client.put(
        f"/events/{event['id']}/update_tickets",
        json={"delta": -3, "reference": "vip-1", "ticket_type_id": vip["id"]},
        headers=service_headers,
    )

    assert (added.json()["total_tickets"], vip["name"], vip["capacity"]) == (14, "VIP", 4)
    assert sold.status_code == 200, sold.text
    assert sold.json()["available_tickets"] == 11
    await assert_accounting_holds(event_store, event["id"])


async def test_capacity_rises_at_any_time_and_falls_only_to_what_is_sold(
    events_client: httpx.AsyncClient,
    event: dict[str, Any],
    organizer: TestUser,
    service_headers: dict[str, str],
    event_store: EventStore,
) -> None:
    await change_tickets(events_client, event["id"], service_headers, -6, "cap-1")

    raised = await _patch(events_client, event["id"], "default", organizer.headers, capacity=20)
    too_low = await _patch(events_client, event["id"], "default", organizer.headers, capacity=5)
    lowest = await _patch(events_client, event["id"], "default", organizer.headers, capacity=6)

    assert raised.status_code == 200, raised.text
    assert raised.json()["available_tickets"] == 14
    body = assert_problem(too_low, 409)
    assert body["sold_tickets"] == 6
    assert lowest.status_code == 200
    [kind] = lowest.json()["ticket_types"]
    assert (kind["capacity"], kind["available"], kind["sale_status"]) == (6, 0, "sold-out")
    await assert_accounting_holds(event_store, event["id"])


async def test_type_rules_change_and_a_window_can_be_reopened(
    events_client: httpx.AsyncClient,
    event: dict[str, Any],
    organizer: TestUser,
    service_headers: dict[str, str],
) -> None:
    later = datetime.now(UTC) + timedelta(days=1)
    closed = await _patch(
        events_client,
        event["id"],
        "default",
        organizer.headers,
        name="Early bird",
        price="15.00",
        sales_start=later.isoformat(),
        max_per_order=2,
    )
    refused = await change_tickets(events_client, event["id"], service_headers, -1, "w-1")
    reopened = await _patch(
        events_client, event["id"], "default", organizer.headers, sales_start=None
    )
    sold = await change_tickets(events_client, event["id"], service_headers, -1, "w-2")

    [kind] = closed.json()["ticket_types"]
    assert (kind["name"], kind["price"], kind["max_per_order"]) == ("Early bird", "15.00", 2)
    assert closed.json()["price"] == "15.00"  # the event's price is its default type's
    assert assert_problem(refused, 409)["reason"] == "outside-sale-window"
    assert reopened.json()["ticket_types"][0]["sales_start"] is None
    assert sold.status_code == 200, sold.text


@pytest.mark.parametrize(
    "changes",
    [
        {"capacity": None},
        {"name": None},
        {"description": None},
        {"min_per_order": 5, "max_per_order": 4},
        {"sales_end": (datetime.now(UTC) + timedelta(days=90)).isoformat()},  # after the start
        {"capacity": -1},
        {"unknown": 1},
    ],
)
async def test_contradictory_type_changes_are_unprocessable(
    events_client: httpx.AsyncClient,
    event: dict[str, Any],
    organizer: TestUser,
    changes: dict[str, Any],
) -> None:
    response = await _patch(events_client, event["id"], "default", organizer.headers, **changes)

    assert_problem(response, 422)


async def test_only_the_organizer_or_an_admin_manages_types(
    events_client: httpx.AsyncClient,
    event: dict[str, Any],
    other_organizer: TestUser,
    user: TestUser,
) -> None:
    for person in (other_organizer, user):
        assert_problem(await _add(events_client, event["id"], person.headers), 403)
        patched = await _patch(events_client, event["id"], "default", person.headers, capacity=1)
        assert_problem(patched, 403)
        listed = await events_client.get(
            f"/events/{event['id']}/ticket_types", headers=person.headers
        )
        assert_problem(listed, 403)
    assert_problem(await _add(events_client, event["id"], {}), 401)


async def test_unknown_type_or_event_is_not_found(
    events_client: httpx.AsyncClient, event: dict[str, Any], organizer: TestUser
) -> None:
    unknown_type = await _patch(events_client, event["id"], "vip", organizer.headers, capacity=3)
    unknown_event = await _add(events_client, str(ObjectId()), organizer.headers)

    assert assert_problem(unknown_type, 404)["type"] != "about:blank"
    assert_problem(unknown_event, 404)


async def test_total_tickets_of_an_event_with_several_types_is_changed_per_type(
    events_client: httpx.AsyncClient, event: dict[str, Any], organizer: TestUser
) -> None:
    await _add(events_client, event["id"], organizer.headers)

    response = await events_client.patch(
        f"/events/{event['id']}", json={"total_tickets": 30}, headers=organizer.headers
    )

    assert "each type" in str(assert_problem(response, 422)["detail"])


async def test_cancelled_event_takes_no_new_type(
    events_client: httpx.AsyncClient, event: dict[str, Any], organizer: TestUser
) -> None:
    await events_client.post(f"/events/{event['id']}/cancel", headers=organizer.headers)

    assert_problem(await _add(events_client, event["id"], organizer.headers), 409)


async def test_event_stored_before_ticket_types_gets_a_default_type_holding_its_counters(
    isolated_event_store: EventStore,
) -> None:
    store = isolated_event_store
    legacy = await insert_event(store, total_tickets=10)
    await store.events.update_one(
        {"_id": legacy["_id"]},
        {"$unset": {"ticket_types": ""}, "$set": {"available_tickets": 4}},
    )

    typed = await type_untyped_events(store=store)
    again = await type_untyped_events(store=store)

    assert (typed, again) == (1, 0)
    stored = await store.events.find_one({"_id": legacy["_id"]})
    assert stored is not None
    kind = stored["ticket_types"]["default"]
    assert (kind["total"], kind["available"], kind["name"]) == (10, 4, "Admission")


async def test_repair_undoes_every_type_of_an_interrupted_change(
    isolated_event_store: EventStore,
) -> None:
    store = isolated_event_store
    event: Document = await insert_event(
        store,
        total_tickets=None,
        price=None,
        ticket_types=[{"name": "A", "capacity": 10}, {"name": "B", "capacity": 10}],
    )
    other = next(type_id for type_id in event["ticket_types"] if type_id != "default")
    entry = await interrupted_entry(
        store, event["_id"], "crash-2", 5, items={"default": 2, other: 3}
    )
    await move_counter(store, entry)  # step 2 landed, then the process died
    await store.ledger.update_one(  # ... and another attempt's refusal was recorded meanwhile
        {"_id": entry["_id"]},
        {"$set": {"attempt": ObjectId(), "state": LedgerState.REJECTED, "reason": "insufficient"}},
    )

    report = await repair_ticket_ledger(store=store, grace=timedelta(0))

    assert report.undone == 1
    repaired = await assert_accounting_holds(store, str(event["_id"]))
    assert repaired["available_tickets"] == 20
    assert [kind["available"] for kind in repaired["ticket_types"].values()] == [10, 10]
