"""Hostile input: text no store can hold is a 422 naming the field; an oversized body a 413."""

import httpx

from tests.utils.events import event_body
from tests.utils.hostile import assert_text_refused, oversized_json
from tests.utils.users import TestUser, assert_problem


async def test_create_event_title_with_nul_is_422_and_nothing_stored(
    events_client: httpx.AsyncClient, organizer: TestUser
) -> None:
    title = "Nul\x00Night"

    response = await events_client.post(
        "/events", json=event_body(title=title), headers=organizer.headers
    )

    assert_text_refused(response, "body.title")
    listed = await events_client.get("/events", params={"organizer_id": organizer.id})
    assert all("Nul" not in event["title"] for event in listed.json())


async def test_create_event_description_keeps_newlines_and_tabs(
    events_client: httpx.AsyncClient, organizer: TestUser
) -> None:
    description = "Doors at 19:00.\n\tSupport act at 19:30."

    response = await events_client.post(
        "/events", json=event_body(description=description), headers=organizer.headers
    )

    assert response.status_code == 201, response.text
    assert response.json()["description"] == description


async def test_search_events_with_nul_is_422(events_client: httpx.AsyncClient) -> None:
    response = await events_client.get("/events", params={"q": "jazz\x00"})

    assert_text_refused(response, "query.q")


async def test_read_event_with_nul_in_id_is_422(events_client: httpx.AsyncClient) -> None:
    response = await events_client.get("/events/abc%00")

    assert_text_refused(response, "path.event_id")


async def test_create_event_body_over_limit_is_413(
    events_client: httpx.AsyncClient, organizer: TestUser
) -> None:
    response = await events_client.post(
        "/events",
        content=oversized_json(),
        headers={**organizer.headers, "content-type": "application/json"},
    )

    assert_problem(response, 413)


async def test_create_event_title_with_line_break_is_422(
    events_client: httpx.AsyncClient, organizer: TestUser
) -> None:
    response = await events_client.post(
        "/events", json=event_body(title="Spring\nConcert"), headers=organizer.headers
    )

    assert_problem(response, 422)
    assert response.json()["errors"][0]["field"] == "body.title"
