import asyncio
from typing import Any

import httpx
import pytest

from event_service.models import EventStore
from tests.booking_service.conftest import Faults
from tests.utils.bookings import available, book
from tests.utils.events import create_event
from tests.utils.users import TestUser, assert_problem


@pytest.fixture
async def event(events_client: httpx.AsyncClient, organizer: TestUser) -> dict[str, Any]:
    return await create_event(events_client, organizer.headers, total_tickets=10)


async def test_replay_with_same_key_returns_the_same_booking(
    bookings_client: httpx.AsyncClient,
    event: dict[str, Any],
    user: TestUser,
    event_store: EventStore,
) -> None:
    first = await book(bookings_client, user.headers, event["id"], tickets=2, key="order-1")
    replay = await book(bookings_client, user.headers, event["id"], tickets=2, key="order-1")

    assert first.status_code == replay.status_code == 201
    assert replay.json()["id"] == first.json()["id"]
    assert replay.json()["idempotency_key"] == "order-1"
    assert await available(event_store, event["id"]) == 8


async def test_same_key_with_another_body_is_rejected(
    bookings_client: httpx.AsyncClient,
    event: dict[str, Any],
    user: TestUser,
    event_store: EventStore,
) -> None:
    await book(bookings_client, user.headers, event["id"], tickets=2, key="order-2")

    changed = await book(bookings_client, user.headers, event["id"], tickets=3, key="order-2")

    assert assert_problem(changed, 422)["type"].endswith("idempotency-key-reused")  # type: ignore[union-attr]
    assert await available(event_store, event["id"]) == 8


async def test_racing_requests_with_one_key_book_once(
    bookings_client: httpx.AsyncClient,
    event: dict[str, Any],
    user: TestUser,
    event_store: EventStore,
) -> None:
    await _race_books_once(bookings_client, user, event["id"], key="race-key")

    assert await available(event_store, event["id"]) == 9


async def test_replay_of_a_refused_booking_is_refused_the_same_way(
    bookings_client: httpx.AsyncClient,
    event: dict[str, Any],
    user: TestUser,
    events_client: httpx.AsyncClient,
    organizer: TestUser,
) -> None:
    first = await book(bookings_client, user.headers, event["id"], tickets=10, key="big")
    await book(bookings_client, user.headers, event["id"], tickets=10, key="big")
    await events_client.patch(
        f"/events/{event['id']}", json={"total_tickets": 30}, headers=organizer.headers
    )
    small = await create_event(events_client, organizer.headers, total_tickets=1)
    refused = await book(bookings_client, user.headers, small["id"], tickets=2, key="small")

    replay = await book(bookings_client, user.headers, small["id"], tickets=2, key="small")

    assert first.status_code == 201
    assert assert_problem(replay, 409) == {
        **assert_problem(refused, 409),
        "request_id": replay.json()["request_id"],
    }


async def test_keys_belong_to_their_caller(
    bookings_client: httpx.AsyncClient,
    event: dict[str, Any],
    user: TestUser,
    other_user: TestUser,
    event_store: EventStore,
) -> None:
    mine = await book(bookings_client, user.headers, event["id"], key="shared-key")
    theirs = await book(bookings_client, other_user.headers, event["id"], key="shared-key")

    assert mine.json()["id"] != theirs.json()["id"]
    assert await available(event_store, event["id"]) == 8


async def test_retry_with_the_key_of_a_503_is_a_new_attempt_that_books_once(
    bookings_client: httpx.AsyncClient,
    event: dict[str, Any],
    user: TestUser,
    faults: Faults,
    event_store: EventStore,
) -> None:
    faults.events.fail("down")
    unavailable = await book(bookings_client, user.headers, event["id"], tickets=2, key="later")
    faults.heal()

    retried = await book(bookings_client, user.headers, event["id"], tickets=2, key="later")
    replay = await book(bookings_client, user.headers, event["id"], tickets=2, key="later")

    assert assert_problem(unavailable, 503)["dependency"] == "event-service"
    assert retried.status_code == replay.status_code == 201
    assert replay.json()["id"] == retried.json()["id"]
    assert await available(event_store, event["id"]) == 8


async def test_racing_retries_with_the_key_of_a_503_book_once(
    bookings_client: httpx.AsyncClient,
    event: dict[str, Any],
    user: TestUser,
    faults: Faults,
    event_store: EventStore,
) -> None:
    faults.events.fail("down")
    await book(bookings_client, user.headers, event["id"], tickets=1, key="rush-retry")
    faults.heal()

    await _race_books_once(bookings_client, user, event["id"], key="rush-retry")

    assert await available(event_store, event["id"]) == 9


async def _race_books_once(
    client: httpx.AsyncClient, user: TestUser, event_id: str, *, key: str
) -> None:
    """Ten requests for one ticket with one key at once: all answered 201 with one booking."""
    responses = await asyncio.gather(
        *(book(client, user.headers, event_id, tickets=1, key=key) for _ in range(10))
    )
    assert {response.status_code for response in responses} == {201}
    assert len({response.json()["id"] for response in responses}) == 1
