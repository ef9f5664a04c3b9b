"""Hostile input: text no store can hold is a 422 naming the field; an oversized body a 413."""

import httpx

from tests.utils.hostile import assert_text_refused, oversized_json
from tests.utils.users import TestUser, assert_problem


async def test_list_bookings_event_filter_with_nul_is_422(
    bookings_client: httpx.AsyncClient, user: TestUser
) -> None:
    response = await bookings_client.get(
        "/bookings", params={"event_id": "abc\x00"}, headers=user.headers
    )

    assert_text_refused(response, "query.event_id")


async def test_read_booking_with_control_character_in_id_is_422(
    bookings_client: httpx.AsyncClient, user: TestUser
) -> None:
    response = await bookings_client.get("/bookings/%1b", headers=user.headers)

    assert_text_refused(response, "path.booking_id")


async def test_create_booking_body_over_limit_is_413(
    bookings_client: httpx.AsyncClient, user: TestUser
) -> None:
    response = await bookings_client.post(
        "/bookings",
        content=oversized_json(),
        headers={**user.headers, "content-type": "application/json"},
    )

    assert_problem(response, 413)
