import asyncio
import time
from collections import Counter
from typing import Any

import httpx
from fastapi import FastAPI

from event_service.models import EventStore
from tests.utils.bookings import assert_event_accounting, available, book
from tests.utils.events import create_event
from tests.utils.users import TestUser, create_user


async def test_300_concurrent_bookings_for_100_tickets_confirm_exactly_100(
    bookings_client: httpx.AsyncClient,
    booking_app: FastAPI,
    events_client: httpx.AsyncClient,
    users_client: httpx.AsyncClient,
    organizer: TestUser,
    event_store: EventStore,
    record_property: Any,
) -> None:
    event = await create_event(events_client, organizer.headers, total_tickets=100)
    users = await asyncio.gather(*(create_user(users_client) for _ in range(30)))

    started = time.perf_counter()
    responses = await asyncio.gather(
        *(book(bookings_client, users[index % 30].headers, event["id"]) for index in range(300))
    )
    elapsed = time.perf_counter() - started

    assert Counter(response.status_code for response in responses) == {201: 100, 409: 200}
    assert await available(event_store, event["id"]) == 0
    await assert_event_accounting(event_store, booking_app.state.sessions, event["id"])
    record_property("bookings_per_second", round(300 / elapsed, 1))
    print(f"\n300 booking requests in {elapsed:.2f}s: {300 / elapsed:.0f} requests/s")
