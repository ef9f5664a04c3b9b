from typing import Any

import httpx
import pytest

from tests.utils.events import create_event, event_body
from tests.utils.users import TestUser, assert_invalid_field, assert_problem, bearer


async def _count_by(client: httpx.AsyncClient, organizer: TestUser) -> int:
    response = await client.get("/events", params={"organizer_id": organizer.id})
    return int(response.headers["x-total-count"])


async def test_create_event_by_organizer_starts_with_all_tickets_available(
    events_client: httpx.AsyncClient, organizer: TestUser
) -> None:
    response = await events_client.post(
        "/events",
        json=event_body(
            starts_at="2030-06-01T20:00:00+02:00",
            ends_at=None,
            price=12.5,
            currency="usd",
            total_tickets=250,
        ),
        headers=organizer.headers,
    )

    assert response.status_code == 201
    event = response.json()
    assert event["available_tickets"] == event["total_tickets"] == 250
    assert event["organizer_id"] == organizer.id
    assert event["status"] == "scheduled"
    assert event["starts_at"] == "2030-06-01T18:00:00Z"
    assert event["ends_at"] is None
    assert event["price"] == "12.50"
    assert event["currency"] == "USD"
    fetched = await events_client.get(f"/events/{event['id']}")
    assert fetched.json() == event


async def test_create_event_authorization(
    events_client: httpx.AsyncClient,
    user: TestUser,
    organizer: TestUser,
    admin_token: str,
    service_headers: dict[str, str],
) -> None:
    body = event_body()
    assert_problem(await events_client.post("/events", json=body), 401)
    assert_problem(await events_client.post("/events", json=body, headers=user.headers), 403)
    assert_problem(await events_client.post("/events", json=body, headers=service_headers), 403)
    assert (
        await events_client.post("/events", json=body, headers=organizer.headers)
    ).status_code == 201
    assert (
        await events_client.post("/events", json=body, headers=bearer(admin_token))
    ).status_code == 201


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"starts_at": "2020-01-01T10:00:00Z", "ends_at": None}, None),
        ({"starts_at": "2031-01-01T10:00:00", "ends_at": None}, "body.starts_at"),
        ({"starts_at": "tomorrow"}, "body.starts_at"),
        ({"starts_at": "2031-01-01T10:00:00Z", "ends_at": "2031-01-01T09:00:00Z"}, "body"),
        ({"total_tickets": 0}, "body.total_tickets"),
        ({"total_tickets": 1_000_001}, "body.total_tickets"),
        ({"total_tickets": "100"}, "body.total_tickets"),
        ({"total_tickets": 10.5}, "body.total_tickets"),
        ({"total_tickets": True}, "body.total_tickets"),
        ({"price": -1}, "body.price"),
        ({"price": "1.234"}, "body.price"),
        ({"price": "cheap"}, "body.price"),
        ({"currency": "EURO"}, "body.currency"),
        ({"currency": "XYZ"}, "body.currency"),
        ({"starts_at": "9999-12-31T23:00:00-05:00", "ends_at": None}, "body.starts_at"),
        ({"starts_at": "0001-01-01T00:00:00+05:00", "ends_at": None}, "body.starts_at"),
        ({"ends_at": "3000-01-01T00:00:00Z"}, "body.ends_at"),
        ({"title": ""}, "body.title"),
        ({"title": "x" * 201}, "body.title"),
        ({"venue": "   "}, "body.venue"),
        ({"description": "x" * 5001}, "body.description"),
        ({"category": "party"}, "body.category"),
        ({"category": {"$ne": "x"}}, "body.category"),
        ({"organizer_id": "someone-else"}, "body.organizer_id"),
        ({"available_tickets": 5}, "body.available_tickets"),
    ],
)
async def test_create_event_bad_input_is_rejected_and_nothing_stored(
    events_client: httpx.AsyncClient,
    organizer: TestUser,
    overrides: dict[str, Any],
    field: str | None,
) -> None:
    response = await events_client.post(
        "/events", json=event_body(**overrides), headers=organizer.headers
    )

    body = assert_problem(response, 422)
    if field is not None:
        assert field in {error["field"] for error in body["errors"]}  # type: ignore[attr-defined]
    assert await _count_by(events_client, organizer) == 0


async def test_create_event_free_event_and_long_description(
    events_client: httpx.AsyncClient, organizer: TestUser
) -> None:
    event = await create_event(events_client, organizer.headers, price=0, description="x" * 5000)

    assert event["price"] == "0.00"
    assert len(event["description"]) == 5000


async def test_create_event_negative_zero_price_is_a_free_event(
    events_client: httpx.AsyncClient, organizer: TestUser
) -> None:
    event = await create_event(events_client, organizer.headers, price="-0.00")

    assert event["price"] == "0.00"


async def test_create_event_date_out_of_range_says_which_years_are_accepted(
    events_client: httpx.AsyncClient, organizer: TestUser
) -> None:
    response = await events_client.post(
        "/events",
        json=event_body(starts_at="9999-12-31T23:00:00-05:00", ends_at=None),
        headers=organizer.headers,
    )

    (error,) = assert_invalid_field(response, "body.starts_at")
    assert error["type"] == "datetime_out_of_range"
    assert "between 1970-01-01T00:00:00Z and 2999-12-31T23:59:59Z" in error["message"]


async def test_create_event_unknown_currency_names_the_code(
    events_client: httpx.AsyncClient, organizer: TestUser
) -> None:
    response = await events_client.post(
        "/events", json=event_body(currency="xyz"), headers=organizer.headers
    )

    (error,) = assert_invalid_field(response, "body.currency")
    assert error["type"] == "currency_unknown"
    assert "XYZ" in error["message"]
