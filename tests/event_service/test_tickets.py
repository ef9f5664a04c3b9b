from datetime import UTC, datetime, timedelta

import httpx
import pytest
from bson import ObjectId

from event_service.models import EventStore
from tests.utils.events import assert_accounting_holds, change_tickets, create_event
from tests.utils.users import TestUser, assert_problem, bearer


@pytest.fixture
async def event(events_client: httpx.AsyncClient, organizer: TestUser) -> dict[str, object]:
    return await create_event(events_client, organizer.headers, total_tickets=10)


async def test_reserve_returns_the_event_after_the_change(
    events_client: httpx.AsyncClient,
    event: dict[str, str],
    service_headers: dict[str, str],
    event_store: EventStore,
) -> None:
    response = await change_tickets(events_client, event["id"], service_headers, -3, "b-1")

    assert response.status_code == 200
    assert response.json()["available_tickets"] == 7
    assert response.json()["id"] == event["id"]
    await assert_accounting_holds(event_store, event["id"])


async def test_reserve_replay_applies_once_and_returns_success(
    events_client: httpx.AsyncClient,
    event: dict[str, str],
    service_headers: dict[str, str],
    event_store: EventStore,
) -> None:
    first = await change_tickets(events_client, event["id"], service_headers, -2, "b-2")
    replay = await change_tickets(events_client, event["id"], service_headers, -2, "b-2")

    assert first.status_code == replay.status_code == 200
    assert replay.json()["available_tickets"] == 8
    await assert_accounting_holds(event_store, event["id"])


async def test_reserve_insufficient_tickets_conflicts_with_availability(
    events_client: httpx.AsyncClient, event: dict[str, str], service_headers: dict[str, str]
) -> None:
    response = await change_tickets(events_client, event["id"], service_headers, -11, "b-3")
    replay = await change_tickets(events_client, event["id"], service_headers, -11, "b-3")

    body = assert_problem(response, 409)
    assert body["reason"] == "insufficient"
    assert body["available_tickets"] == 10
    assert assert_problem(replay, 409)["reason"] == "insufficient"


async def test_reserve_for_started_event_conflicts(
    events_client: httpx.AsyncClient,
    event: dict[str, str],
    service_headers: dict[str, str],
    event_store: EventStore,
) -> None:
    await event_store.events.update_one(
        {"_id": ObjectId(event["id"])},
        {"$set": {"starts_at": datetime.now(UTC) - timedelta(minutes=1), "ends_at": None}},
    )

    response = await change_tickets(events_client, event["id"], service_headers, -1, "late")

    assert assert_problem(response, 409)["reason"] == "started"


async def test_reference_reused_with_other_quantity_conflicts(
    events_client: httpx.AsyncClient, event: dict[str, str], service_headers: dict[str, str]
) -> None:
    await change_tickets(events_client, event["id"], service_headers, -2, "b-4")

    response = await change_tickets(events_client, event["id"], service_headers, -3, "b-4")

    assert assert_problem(response, 409)["reason"] == "reference"


async def test_release_returns_tickets_once(
    events_client: httpx.AsyncClient,
    event: dict[str, str],
    service_headers: dict[str, str],
    event_store: EventStore,
) -> None:
    await change_tickets(events_client, event["id"], service_headers, -4, "b-5")

    release = await change_tickets(events_client, event["id"], service_headers, 4, "b-5")
    replay = await change_tickets(events_client, event["id"], service_headers, 4, "b-5")

    assert release.json()["available_tickets"] == 10
    assert replay.status_code == 200
    assert replay.json()["available_tickets"] == 10
    await assert_accounting_holds(event_store, event["id"])


async def test_release_without_reservation_or_beyond_it_conflicts(
    events_client: httpx.AsyncClient, event: dict[str, str], service_headers: dict[str, str]
) -> None:
    never = await change_tickets(events_client, event["id"], service_headers, 1, "nobody")
    await change_tickets(events_client, event["id"], service_headers, -2, "b-6")
    too_many = await change_tickets(events_client, event["id"], service_headers, 3, "b-6")
    rejected_reservation = await change_tickets(
        events_client, event["id"], service_headers, -50, "b-7"
    )
    after_rejection = await change_tickets(events_client, event["id"], service_headers, 50, "b-7")

    assert assert_problem(never, 409)["reason"] == "not-reserved"
    assert assert_problem(too_many, 409)["reason"] == "exceeds-reservation"
    assert_problem(rejected_reservation, 409)
    assert assert_problem(after_rejection, 409)["reason"] == "not-reserved"
    current = await events_client.get(f"/events/{event['id']}")
    assert current.json()["available_tickets"] == 8


async def test_reservation_after_its_release_conflicts_as_released_and_holds_nothing(
    events_client: httpx.AsyncClient,
    event: dict[str, str],
    service_headers: dict[str, str],
    event_store: EventStore,
) -> None:
    early_release = await change_tickets(events_client, event["id"], service_headers, 2, "b-late")
    late_reservation = await change_tickets(
        events_client, event["id"], service_headers, -2, "b-late"
    )

    assert assert_problem(early_release, 409)["reason"] == "not-reserved"
    refused = assert_problem(late_reservation, 409)
    assert (refused["reason"], refused["available_tickets"]) == ("released", 10)
    await assert_accounting_holds(event_store, event["id"])


async def test_partial_release_then_no_second_release(
    events_client: httpx.AsyncClient,
    event: dict[str, str],
    service_headers: dict[str, str],
    event_store: EventStore,
) -> None:
    await change_tickets(events_client, event["id"], service_headers, -5, "b-8")
    partial = await change_tickets(events_client, event["id"], service_headers, 2, "b-8")
    second = await change_tickets(events_client, event["id"], service_headers, 3, "b-8")

    assert partial.json()["available_tickets"] == 7
    assert assert_problem(second, 409)["reason"] == "reference"
    await assert_accounting_holds(event_store, event["id"])


async def test_unknown_or_malformed_event_is_not_found_and_leaves_no_ledger_entry(
    events_client: httpx.AsyncClient, service_headers: dict[str, str], event_store: EventStore
) -> None:
    missing = ObjectId()
    for event_id in (str(missing), "bogus"):
        for delta in (-1, 1):
            response = await change_tickets(events_client, event_id, service_headers, delta, "x")
            assert_problem(response, 404)

    assert await event_store.ledger.count_documents({"event_id": missing}) == 0


@pytest.mark.parametrize(
    "body",
    [
        {"delta": 0, "reference": "r"},
        {"delta": -1001, "reference": "r"},
        {"delta": 1001, "reference": "r"},
        {"delta": "-1", "reference": "r"},
        {"delta": -1.5, "reference": "r"},
        {"delta": -1},
        {"delta": -1, "reference": ""},
        {"delta": -1, "reference": {"$ne": None}},
        {"delta": -1, "reference": "has space"},
        {"delta": -1, "reference": "x" * 129},
        {"delta": -1, "reference": "r", "extra": 1},
    ],
)
async def test_bad_ticket_change_is_rejected_and_nothing_reserved(
    events_client: httpx.AsyncClient,
    event: dict[str, str],
    service_headers: dict[str, str],
    body: dict[str, object],
) -> None:
    response = await events_client.put(
        f"/events/{event['id']}/update_tickets", json=body, headers=service_headers
    )

    assert_problem(response, 422)
    assert (await events_client.get(f"/events/{event['id']}")).json()["available_tickets"] == 10


async def test_ticket_change_authorization(
    events_client: httpx.AsyncClient,
    event: dict[str, str],
    user: TestUser,
    organizer: TestUser,
    admin_token: str,
    service_headers: dict[str, str],
) -> None:
    path = f"/events/{event['id']}/update_tickets"
    body = {"delta": -1, "reference": "authz"}

    assert_problem(await events_client.put(path, json=body), 401)
    for headers in (user.headers, organizer.headers):
        assert_problem(await events_client.put(path, json=body, headers=headers), 403)
    assert (await events_client.put(path, json=body, headers=service_headers)).status_code == 200
    admin = await events_client.put(
        path, json={"delta": -1, "reference": "admin"}, headers=bearer(admin_token)
    )
    assert admin.json()["available_tickets"] == 8
