"""Events carry the IANA time zone of their venue; times stay stored and returned in UTC."""

from typing import Any

import httpx
import pytest
from bson import ObjectId

from event_service.models import EventStore
from tests.utils.events import create_event, event_body
from tests.utils.users import TestUser, assert_problem


async def test_create_event_with_timezone_keeps_it_and_returns_times_in_utc(
    events_client: httpx.AsyncClient, organizer: TestUser
) -> None:
    event = await create_event(
        events_client,
        organizer.headers,
        starts_at="2030-06-14T19:30:00+02:00",
        ends_at=None,
        timezone="Europe/Berlin",
    )

    assert event["timezone"] == "Europe/Berlin"
    assert event["starts_at"] == "2030-06-14T17:30:00Z"
    assert (await events_client.get(f"/events/{event['id']}")).json() == event
    listed = await events_client.get("/events", params={"organizer_id": organizer.id})
    assert [(e["id"], e["timezone"]) for e in listed.json()] == [(event["id"], "Europe/Berlin")]


async def test_create_event_without_timezone_is_utc(
    events_client: httpx.AsyncClient, organizer: TestUser
) -> None:
    event = await create_event(events_client, organizer.headers)

    assert event["timezone"] == "UTC"


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "CEST", "../../etc/passwd", "x" * 65])
async def test_create_event_unknown_timezone_is_422_naming_the_field_and_stores_nothing(
    events_client: httpx.AsyncClient, organizer: TestUser, zone: str
) -> None:
    response = await events_client.post(
        "/events", json=event_body(timezone=zone), headers=organizer.headers
    )

    problem = assert_problem(response, 422)
    assert [error["field"] for error in problem["errors"]] == ["body.timezone"]  # type: ignore[union-attr]
    listed = await events_client.get("/events", params={"organizer_id": organizer.id})
    assert listed.headers["x-total-count"] == "0"


async def test_update_event_timezone_changes_only_the_zone(
    events_client: httpx.AsyncClient, organizer: TestUser
) -> None:
    event = await create_event(events_client, organizer.headers, timezone="Europe/Paris")

    response = await events_client.patch(
        f"/events/{event['id']}", json={"timezone": "America/New_York"}, headers=organizer.headers
    )

    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["timezone"] == "America/New_York"
    assert updated["starts_at"] == event["starts_at"]
    assert (await events_client.get(f"/events/{event['id']}")).json() == updated


@pytest.mark.parametrize("zone", [None, "Atlantis/Capital", 7])
async def test_update_event_bad_or_null_timezone_is_422_naming_the_field_and_changes_nothing(
    events_client: httpx.AsyncClient, organizer: TestUser, zone: Any
) -> None:
    event = await create_event(events_client, organizer.headers, timezone="Asia/Tokyo")

    response = await events_client.patch(
        f"/events/{event['id']}", json={"timezone": zone}, headers=organizer.headers
    )

    problem = assert_problem(response, 422)
    assert {error["field"] for error in problem["errors"]} == {"body.timezone"}  # type: ignore[union-attr]
    assert (await events_client.get(f"/events/{event['id']}")).json() == event


async def test_event_stored_without_timezone_reads_as_utc(
    events_client: httpx.AsyncClient, organizer: TestUser, event_store: EventStore
) -> None:
    event = await create_event(events_client, organizer.headers, timezone="Europe/Lisbon")
    # As documents written before events had a time zone look.
    await event_store.events.update_one(
        {"_id": ObjectId(event["id"])}, {"$unset": {"timezone": ""}}
    )

    fetched = await events_client.get(f"/events/{event['id']}")
    listed = await events_client.get("/events", params={"organizer_id": organizer.id})

    assert fetched.json()["timezone"] == "UTC"
    assert [e["timezone"] for e in listed.json()] == ["UTC"]
