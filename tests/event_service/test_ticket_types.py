"""Ticket types over HTTP: creating them, reserving several at once, their rules, capacity."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from event_service.models import EventStore
from tests.utils.events import assert_accounting_holds, create_event
from tests.utils.users import TestUser, assert_problem

SOON = datetime.now(UTC) + timedelta(days=30)


def _kind(name: str, capacity: int, **rules: Any) -> dict[str, Any]:
    return {"name": name, "price": "10.00", "capacity": capacity, **rules}


async def _typed_event(
    client: httpx.AsyncClient, organizer: TestUser, *kinds: dict[str, Any]
) -> dict[str, Any]:
    return await create_event(
        client, organizer.headers, total_tickets=None, price=None, ticket_types=list(kinds)
    )


def _types(event: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {kind["name"]: kind for kind in event["ticket_types"]}


async def _change(
    client: httpx.AsyncClient, event_id: str, headers: dict[str, str], **change: Any
) -> httpx.Response:
    return await client.put(f"/events/{event_id}/update_tickets", json=change, headers=headers)


@pytest.fixture
async def festival(events_client: httpx.AsyncClient, organizer: TestUser) -> dict[str, Any]:
    """Three types: 50 standard, 5 VIP (at most 2 per order), 100 in groups of 4 to 10."""
    return await _typed_event(
        events_client,
        organizer,
        _kind("Standard", 50),
        _kind("VIP", 5, price="80.00", max_per_order=2),
        _kind("Group", 100, min_per_order=4, max_per_order=10),
    )


Change = Callable[..., Awaitable[httpx.Response]]


@pytest.fixture
def change(
    events_client: httpx.AsyncClient, festival: dict[str, Any], service_headers: dict[str, str]
) -> Change:
    """A ticket change of the festival, as booking-service sends it."""

    async def send(**body: Any) -> httpx.Response:
        return await _change(events_client, festival["id"], service_headers, **body)

    return send


def _items(event: dict[str, Any], **quantities: int) -> list[dict[str, Any]]:
    kinds = _types(event)
    return [
        {"ticket_type_id": kinds[name]["id"], "quantity": quantity}
        for name, quantity in quantities.items()
    ]


async def test_event_created_the_seed_way_has_one_default_type(
    events_client: httpx.AsyncClient, organizer: TestUser
) -> None:
    event = await create_event(events_client, organizer.headers, total_tickets=40, price="12.50")

    [kind] = event["ticket_types"]
    assert (kind["id"], kind["capacity"], kind["available"], kind["price"]) == (
        "default",
        40,
        40,
        "12.50",
    )
    assert kind["sale_status"] == "on-sale"
    assert (kind["sales_start"], kind["sales_end"], kind["hidden"]) == (None, None, False)


async def test_event_with_types_sums_their_capacities_and_takes_the_first_price(
    festival: dict[str, Any],
) -> None:
    assert festival["total_tickets"] == festival["available_tickets"] == 155
    assert festival["price"] == "10.00"
    assert [kind["name"] for kind in festival["ticket_types"]] == ["Standard", "VIP", "Group"]
    assert festival["ticket_types"][0]["id"] == "default"


@pytest.mark.parametrize(
    "body",
    [
        {"total_tickets": 10, "ticket_types": [_kind("A", 5)]},
        {"price": "5.00", "total_tickets": None, "ticket_types": [_kind("A", 5)]},
        {"total_tickets": None},
        {"total_tickets": None, "ticket_types": []},
        {"total_tickets": None, "ticket_types": [_kind("A", 5, min_per_order=3, max_per_order=2)]},
        {
            "total_tickets": None,
            "ticket_types": [
                _kind(
                    "A",
                    5,
                    sales_start=SOON.isoformat(),
                    sales_end=(SOON - timedelta(days=1)).isoformat(),
                )
            ],
        },
    ],
)
async def test_event_with_inconsistent_ways_of_selling_is_refused(
    events_client: httpx.AsyncClient, organizer: TestUser, body: dict[str, Any]
) -> None:
    from tests.utils.events import event_body

    response = await events_client.post(
        "/events", json=event_body(**{"price": None, **body}), headers=organizer.headers
    )

    assert_problem(response, 422)


async def test_reserving_several_types_moves_each_and_the_sum(
    festival: dict[str, Any],
    event_store: EventStore,
    change: Change,
) -> None:
    response = await change(
        delta=-7,
        reference="multi-1",
        items=_items(festival, Standard=3, Group=4),
    )

    assert response.status_code == 200, response.text
    after = response.json()
    assert after["available_tickets"] == 148
    kinds = _types(after)
    assert (kinds["Standard"]["available"], kinds["VIP"]["available"]) == (47, 5)
    assert kinds["Group"]["available"] == 96
    await assert_accounting_holds(event_store, festival["id"])


async def test_one_type_short_reserves_none_of_the_others(
    festival: dict[str, Any],
    event_store: EventStore,
    change: Change,
) -> None:
    vip = _types(festival)["VIP"]["id"]
    for index in range(2):  # 4 of the 5 VIP tickets go
        taken = await change(
            delta=-2,
            reference=f"vip-{index}",
            ticket_type_id=vip,
        )
        assert taken.status_code == 200, taken.text

    response = await change(
        delta=-4,
        reference="multi-2",
        items=_items(festival, Standard=2, VIP=2),
    )

    body = assert_problem(response, 409)
    assert (body["reason"], body["ticket_type_id"], body["ticket_type_available"]) == (
        "insufficient",
        vip,
        1,
    )
    event = await assert_accounting_holds(event_store, festival["id"])
    assert event["ticket_types"]["default"]["available"] == 50


@pytest.mark.parametrize(
    ("quantities", "reason", "kind"),
    [
        ({"VIP": 3}, "above-maximum", "VIP"),
        ({"Group": 2}, "below-minimum", "Group"),
        ({"Standard": 1, "Group": 11}, "above-maximum", "Group"),
    ],
)
async def test_quantity_outside_a_types_limits_is_unprocessable_naming_it(
    festival: dict[str, Any],
    quantities: dict[str, int],
    reason: str,
    kind: str,
    change: Change,
) -> None:
    response = await change(
        delta=-sum(quantities.values()),
        reference=f"limits-{reason}-{kind}",
        items=_items(festival, **quantities),
    )

    body = assert_problem(response, 422)
    assert (body["reason"], body["ticket_type_id"]) == (reason, _types(festival)[kind]["id"])
    assert kind in str(body["detail"])


async def test_type_outside_its_sale_window_conflicts_and_says_the_window(
    events_client: httpx.AsyncClient,
    organizer: TestUser,
    service_headers: dict[str, str],
    event_store: EventStore,
) -> None:
    opens = datetime.now(UTC) + timedelta(days=2)
    event = await _typed_event(
        events_client,
        organizer,
        _kind("Regular", 10),
        _kind("Late", 10, sales_start=opens.isoformat()),
        _kind("Early", 10, sales_end=(datetime.now(UTC) - timedelta(days=1)).isoformat()),
    )
    kinds = _types(event)
    assert [kinds[name]["sale_status"] for name in ("Regular", "Late", "Early")] == [
        "on-sale",
        "not-yet-on-sale",
        "sale-ended",
    ]

    late = await _change(
        events_client,
        event["id"],
        service_headers,
        delta=-1,
        reference="late-1",
        ticket_type_id=kinds["Late"]["id"],
    )
    early = await _change(
        events_client,
        event["id"],
        service_headers,
        delta=-1,
        reference="early-1",
        ticket_type_id=kinds["Early"]["id"],
    )

    body = assert_problem(late, 409)
    assert body["reason"] == "outside-sale-window"
    assert datetime.fromisoformat(str(body["sales_start"])) == opens.replace(
        microsecond=opens.microsecond // 1000 * 1000
    )
    assert "sales_end" not in body
    assert assert_problem(early, 409)["reason"] == "outside-sale-window"
    await assert_accounting_holds(event_store, event["id"])


async def test_hidden_or_unknown_type_is_not_sold_and_not_listed(
    events_client: httpx.AsyncClient, organizer: TestUser, service_headers: dict[str, str]
) -> None:
    event = await _typed_event(
        events_client, organizer, _kind("Public", 10), _kind("Crew", 5, hidden=True)
    )
    crew = _types(event)["Crew"]["id"]

    public = (await events_client.get(f"/events/{event['id']}")).json()
    listed = await events_client.get(
        f"/events/{event['id']}/ticket_types", headers=organizer.headers
    )
    hidden = await _change(
        events_client, event["id"], service_headers, delta=-1, reference="h", ticket_type_id=crew
    )
    unknown = await _change(
        events_client, event["id"], service_headers, delta=-1, reference="u", ticket_type_id="nope"
    )

    assert [kind["name"] for kind in public["ticket_types"]] == ["Public"]
    assert public["total_tickets"] == 15  # the event's counters still hold every type
    assert [kind["name"] for kind in listed.json()] == ["Public", "Crew"]
    assert assert_problem(hidden, 422)["reason"] == "unknown-ticket-type"
    assert assert_problem(unknown, 422)["reason"] == "unknown-ticket-type"


async def test_partial_release_of_several_types_must_name_them_and_may_then_be_sent_whole(
    festival: dict[str, Any],
    event_store: EventStore,
    change: Change,
) -> None:
    items = _items(festival, Standard=2, VIP=1)
    reserved = await change(delta=-3, reference="rel-1", items=items)
    assert reserved.status_code == 200, reserved.text

    partial = await change(delta=1, reference="rel-1")
    whole = await change(delta=3, reference="rel-1")

    assert assert_problem(partial, 422)["reason"] == "items-required"
    assert whole.status_code == 200, whole.text
    event = await assert_accounting_holds(event_store, festival["id"])
    assert event["available_tickets"] == 155


async def test_release_of_more_of_a_type_than_reserved_is_refused(
    festival: dict[str, Any],
    event_store: EventStore,
    change: Change,
) -> None:
    items = _items(festival, Standard=2, VIP=1)
    await change(delta=-3, reference="rel-3", items=items)

    response = await change(
        delta=2,
        reference="rel-3",
        items=_items(festival, VIP=2),
    )

    body = assert_problem(response, 409)
    assert (body["reason"], body["ticket_type_id"]) == (
        "exceeds-reservation",
        _types(festival)["VIP"]["id"],
    )
    event = await assert_accounting_holds(event_store, festival["id"])
    assert event["available_tickets"] == 152


async def test_release_of_a_multi_type_reservation_gives_back_each_type(
    festival: dict[str, Any],
    event_store: EventStore,
    change: Change,
) -> None:
    items = _items(festival, Standard=2, VIP=1)
    await change(delta=-3, reference="rel-2", items=items)

    released = await change(delta=3, reference="rel-2")

    assert released.status_code == 200, released.text
    kinds = _types(released.json())
    assert (kinds["Standard"]["available"], kinds["VIP"]["available"]) == (50, 5)
    await assert_accounting_holds(event_store, festival["id"])


async def test_replay_with_other_types_is_a_reference_conflict(
    festival: dict[str, Any], change: Change
) -> None:
    first = await change(
        delta=-2,
        reference="rep-1",
        items=_items(festival, Standard=2),
    )
    other = await change(
        delta=-2,
        reference="rep-1",
        items=_items(festival, VIP=2),
    )

    assert first.status_code == 200
    assert assert_problem(other, 409)["reason"] == "reference"


async def test_last_tickets_of_a_type_go_to_exactly_as_many_buyers(
    festival: dict[str, Any],
    event_store: EventStore,
    change: Change,
) -> None:
    vip = _types(festival)["VIP"]["id"]

    async def buy(index: int) -> int:
        response = await change(
            delta=-2,
            reference=f"race-{index}",
            items=[{"ticket_type_id": vip, "quantity": 1}, *_items(festival, Standard=1)],
        )
        return response.status_code

    statuses = await asyncio.gather(*(buy(index) for index in range(30)))

    assert sorted(set(statuses)) == [200, 409]
    assert statuses.count(200) == 5
    event = await assert_accounting_holds(event_store, festival["id"])
    assert event["ticket_types"]["default"]["available"] == 45
