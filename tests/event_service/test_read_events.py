from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from bson import ObjectId

from event_service.models import EventStore
from tests.utils.events import change_tickets, create_event
from tests.utils.users import TestUser, assert_problem


def _in_days(days: float) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


async def _ids(client: httpx.AsyncClient, **params: Any) -> list[str]:
    response = await client.get("/events", params=params)
    assert response.status_code == 200, response.text
    return [event["id"] for event in response.json()]


async def test_read_event_unknown_or_malformed_id_is_not_found(
    events_client: httpx.AsyncClient,
) -> None:
    for event_id in (str(ObjectId()), "not-an-id", "0" * 25, "%24ne"):
        assert_problem(await events_client.get(f"/events/{event_id}"), 404)


async def test_list_events_default_is_upcoming_scheduled_soonest_first(
    events_client: httpx.AsyncClient, organizer: TestUser, event_store: EventStore
) -> None:
    later = await create_event(
        events_client, organizer.headers, starts_at=_in_days(20), ends_at=None
    )
    sooner = await create_event(
        events_client, organizer.headers, starts_at=_in_days(10), ends_at=None
    )
    cancelled = await create_event(events_client, organizer.headers)
    await events_client.post(f"/events/{cancelled['id']}/cancel", headers=organizer.headers)
    past = await create_event(events_client, organizer.headers)
    await event_store.events.update_one(
        {"_id": ObjectId(past["id"])},
        {"$set": {"starts_at": datetime.now(UTC) - timedelta(hours=1), "ends_at": None}},
    )

    assert await _ids(events_client, organizer_id=organizer.id) == [sooner["id"], later["id"]]
    assert past["id"] in await _ids(events_client, organizer_id=organizer.id, include_past=True)
    assert await _ids(events_client, organizer_id=organizer.id, status="cancelled") == [
        cancelled["id"]
    ]


async def test_list_events_filters(
    events_client: httpx.AsyncClient, organizer: TestUser, service_headers: dict[str, str]
) -> None:
    jazz = await create_event(
        events_client,
        organizer.headers,
        title="Late Night Jazz",
        category="concert",
        city="Antwerp",
        starts_at=_in_days(5),
        ends_at=None,
        total_tickets=1,
    )
    talk = await create_event(
        events_client,
        organizer.headers,
        title="Data Conference",
        description="Talks about databases",
        category="conference",
        city="Brussels",
        starts_at=_in_days(15),
        ends_at=None,
    )
    await change_tickets(events_client, jazz["id"], service_headers, -1, "sell-out")
    mine = {"organizer_id": organizer.id}

    assert await _ids(events_client, **mine, q="jazz") == [jazz["id"]]
    assert await _ids(events_client, **mine, q="DATABASES talks") == [talk["id"]]
    assert await _ids(events_client, **mine, category="conference") == [talk["id"]]
    assert await _ids(events_client, **mine, city="antwerp") == [jazz["id"]]
    assert await _ids(events_client, **mine, available_only=True) == [talk["id"]]
    assert await _ids(events_client, **mine, starts_after=_in_days(10)) == [talk["id"]]
    assert await _ids(events_client, **mine, starts_before=_in_days(10)) == [jazz["id"]]


async def test_list_events_paginates_with_total_count(
    events_client: httpx.AsyncClient, organizer: TestUser
) -> None:
    created = [
        await create_event(events_client, organizer.headers, starts_at=_in_days(day), ends_at=None)
        for day in (1, 2, 3)
    ]
    response = await events_client.get(
        "/events", params={"organizer_id": organizer.id, "limit": 2, "offset": 1}
    )

    assert response.headers["x-total-count"] == "3"
    assert [event["id"] for event in response.json()] == [created[1]["id"], created[2]["id"]]


@pytest.mark.parametrize("q", ['{"$ne": null}', ".*", "$where", "a|b", "(unclosed"])
async def test_list_events_operator_shaped_search_is_literal_text(
    events_client: httpx.AsyncClient, organizer: TestUser, q: str
) -> None:
    await create_event(events_client, organizer.headers, title="Ordinary title")

    assert await _ids(events_client, organizer_id=organizer.id, q=q) == []
    assert await _ids(events_client, organizer_id=organizer.id, city='{"$ne": ""}') == []


@pytest.mark.parametrize(
    "params",
    [
        {"category[$ne]": "x"},
        {"organizer_id[$ne]": ""},
        {"category": '{"$ne": "x"}'},
        {"limit": 0},
        {"limit": 101},
        {"offset": -1},
        {"offset": 100_001},
        {"offset": 10**19},
        {"starts_after": "0001-01-01T00:00:00+01:00"},
        {"starts_before": "9999-12-31T23:59:59-01:00"},
        {"starts_after": "2030-01-01T00:00:00"},
        {"starts_after": "soon"},
        {"available_only": "perhaps"},
        {"q": "x" * 201},
    ],
)
async def test_list_events_bad_query_is_rejected(
    events_client: httpx.AsyncClient, params: dict[str, Any]
) -> None:
    assert_problem(await events_client.get("/events", params=params), 422)
