import httpx
import pytest

from tests.utils.events import change_tickets, create_event
from tests.utils.users import TestUser, assert_problem, bearer


async def test_update_event_by_owner_changes_fields(
    events_client: httpx.AsyncClient, organizer: TestUser
) -> None:
    event = await create_event(events_client, organizer.headers)

    response = await events_client.patch(
        f"/events/{event['id']}",
        json={"title": "Renamed", "price": "30", "city": None},
        headers=organizer.headers,
    )

    assert response.status_code == 200
    updated = response.json()
    assert (updated["title"], updated["price"], updated["city"]) == ("Renamed", "30.00", None)
    assert updated["updated_at"] > event["updated_at"]
    assert (await events_client.get(f"/events/{event['id']}")).json() == updated


async def test_update_event_authorization(
    events_client: httpx.AsyncClient,
    organizer: TestUser,
    other_organizer: TestUser,
    user: TestUser,
    admin_token: str,
    service_headers: dict[str, str],
) -> None:
    event = await create_event(events_client, organizer.headers)
    path = f"/events/{event['id']}"

    assert_problem(await events_client.patch(path, json={"title": "x"}), 401)
    for headers in (other_organizer.headers, user.headers, service_headers):
        assert_problem(await events_client.patch(path, json={"title": "x"}, headers=headers), 403)
    admin_edit = await events_client.patch(
        path, json={"title": "By admin"}, headers=bearer(admin_token)
    )
    assert admin_edit.json()["title"] == "By admin"


async def test_update_total_tickets_moves_availability_by_the_difference(
    events_client: httpx.AsyncClient, organizer: TestUser, service_headers: dict[str, str]
) -> None:
    event = await create_event(events_client, organizer.headers, total_tickets=10)
    await change_tickets(events_client, event["id"], service_headers, -4, "sold-4")
    path = f"/events/{event['id']}"

    grown = await events_client.patch(path, json={"total_tickets": 15}, headers=organizer.headers)
    shrunk = await events_client.patch(path, json={"total_tickets": 4}, headers=organizer.headers)
    too_small = await events_client.patch(
        path, json={"total_tickets": 3}, headers=organizer.headers
    )

    assert (grown.json()["total_tickets"], grown.json()["available_tickets"]) == (15, 11)
    assert (shrunk.json()["total_tickets"], shrunk.json()["available_tickets"]) == (4, 0)
    body = assert_problem(too_small, 409)
    assert body["sold_tickets"] == 4
    current = (await events_client.get(path)).json()
    assert (current["total_tickets"], current["available_tickets"]) == (4, 0)


@pytest.mark.parametrize(
    "body",
    [
        {"starts_at": "2020-01-01T00:00:00Z"},
        {"ends_at": "2020-01-01T00:00:00Z"},
        {"starts_at": "2031-01-01T00:00:00"},
        {"starts_at": "9999-12-31T23:00:00-05:00"},
        {"ends_at": "9999-12-31T23:59:59-01:00"},
        {"currency": "XYZ"},
        {"title": None},
        {"total_tickets": 0},
        {"available_tickets": 1000},
        {"organizer_id": "me"},
        {"status": "cancelled"},
    ],
)
async def test_update_event_bad_input_changes_nothing(
    events_client: httpx.AsyncClient, organizer: TestUser, body: dict[str, object]
) -> None:
    event = await create_event(events_client, organizer.headers)

    response = await events_client.patch(
        f"/events/{event['id']}", json=body, headers=organizer.headers
    )

    assert_problem(response, 422)
    assert (await events_client.get(f"/events/{event['id']}")).json() == event


async def test_update_event_negative_zero_price_is_stored_as_zero(
    events_client: httpx.AsyncClient, organizer: TestUser
) -> None:
    event = await create_event(events_client, organizer.headers)

    response = await events_client.patch(
        f"/events/{event['id']}", json={"price": -0.0}, headers=organizer.headers
    )

    assert response.status_code == 200, response.text
    assert response.json()["price"] == "0.00"
    assert (await events_client.get(f"/events/{event['id']}")).json()["price"] == "0.00"


async def test_update_unknown_event_is_not_found(
    events_client: httpx.AsyncClient, organizer: TestUser
) -> None:
    for event_id in ("0" * 24, "nope"):
        assert_problem(
            await events_client.patch(
                f"/events/{event_id}", json={"title": "x"}, headers=organizer.headers
            ),
            404,
        )


async def test_cancel_event_stops_reservations_but_not_releases(
    events_client: httpx.AsyncClient, organizer: TestUser, service_headers: dict[str, str]
) -> None:
    event = await create_event(events_client, organizer.headers, total_tickets=10)
    await change_tickets(events_client, event["id"], service_headers, -3, "before-cancel")

    cancelled = await events_client.post(f"/events/{event['id']}/cancel", headers=organizer.headers)
    again = await events_client.post(f"/events/{event['id']}/cancel", headers=organizer.headers)
    reserve = await change_tickets(events_client, event["id"], service_headers, -1, "after")
    release = await change_tickets(events_client, event["id"], service_headers, 3, "before-cancel")

    assert cancelled.json()["status"] == "cancelled"
    assert again.status_code == 200
    assert assert_problem(reserve, 409)["reason"] == "cancelled"
    assert release.status_code == 200
    assert release.json()["available_tickets"] == 10
    edit = await events_client.patch(
        f"/events/{event['id']}", json={"title": "x"}, headers=organizer.headers
    )
    assert_problem(edit, 409)


async def test_cancel_event_authorization(
    events_client: httpx.AsyncClient,
    organizer: TestUser,
    other_organizer: TestUser,
    user: TestUser,
    admin_token: str,
) -> None:
    event = await create_event(events_client, organizer.headers)
    path = f"/events/{event['id']}/cancel"

    assert_problem(await events_client.post(path), 401)
    for headers in (other_organizer.headers, user.headers):
        assert_problem(await events_client.post(path, headers=headers), 403)
    assert (await events_client.post(path, headers=bearer(admin_token))).status_code == 200
    assert_problem(await events_client.post("/events/nope/cancel", headers=organizer.headers), 404)
