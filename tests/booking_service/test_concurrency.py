import asyncio
import time
from collections import Counter
from typing import Any

import httpx

from booking_service.main import create_app
from event_service.models import EventStore
from tests.booking_service.conftest import MakeBookingSettings
from tests.utils.asgi import running_client
from tests.utils.bookings import assert_event_accounting, available, book
from tests.utils.events import create_event
from tests.utils.routing import RoutingTransport
from tests.utils.users import TestUser, create_user

# 300 requests at once saturate the in-process platform for seconds, far past any realistic
# dependency budget; this test is about the accounting, so its booking-service waits.
PATIENT = {"booking_dependency_budget_seconds": 120}


async def test_300_concurrent_bookings_for_100_tickets_confirm_exactly_100(
    make_booking_settings: MakeBookingSettings,
    booking_transport: RoutingTransport,
    events_client: httpx.AsyncClient,
    users_client: httpx.AsyncClient,
    organizer: TestUser,
    event_store: EventStore,
    record_property: Any,
) -> None:
    event = await create_event(events_client, organizer.headers, total_tickets=100)
    users = await asyncio.gather(*(create_user(users_client) for _ in range(30)))
    booking_app = create_app(make_booking_settings(**PATIENT), http_transport=booking_transport)

    async with running_client(booking_app, "http://localhost:8002") as bookings_client:
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
