"""Text that PostgreSQL cannot hold is refused with a 422 naming the parameter."""

import httpx

from tests.utils.text import assert_text_refused
from tests.utils.users import TestUser


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
