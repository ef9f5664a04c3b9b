"""A part of the platform stopped, killed or failing while a rush runs: nothing lost, nothing
done twice. Each test lets the rush run, breaks one part, waits while the buyers go on against
the broken platform, mends it, waits for bookings to flow again, and ends with the accounting
check over everything the platform holds."""

import asyncio

import httpx
import pytest

from tests.utils.accounting import Snapshot, assert_accounting, settled_snapshot
from tests.utils.live_platform import EMAIL_LEASE_SECONDS, LivePlatform
from tests.utils.outage import down
from tests.utils.rush import Buyer, Rush
from tests.utils.users import bearer

pytestmark = pytest.mark.outage


@pytest.fixture
def rush(live: LivePlatform, buyers: list[Buyer], rush_event: str) -> Rush:
    return Rush(bookings_url=live.bookings.url, event_id=rush_event, buyers=buyers)


async def _accounted(live: LivePlatform, rush: Rush) -> Snapshot:
    print(f"\n{rush.outcome.describe()}")
    snapshot = await settled_snapshot(live)
    assert_accounting(snapshot, rush.outcome)
    return snapshot


async def test_notification_service_stopped_during_a_rush_delivers_everything_once(
    live: LivePlatform, rush: Rush
) -> None:
    async with rush.running():
        await rush.until_answered(201, count=20)
        async with down(live.notifications):
            await rush.until_answered(201, count=30)
        await rush.until(attempts=60)

    snapshot = await _accounted(live, rush)
    assert snapshot.outbox_retries > 0  # deliveries were refused while it was down


async def test_event_service_stopped_during_a_rush_answers_503_and_holds_nothing(
    live: LivePlatform, rush: Rush
) -> None:
    async with rush.running():
        await rush.until_answered(201, count=20)
        async with down(live.events):
            await rush.until_answered(503, count=30)
        await rush.until_answered(201, count=20)

    await _accounted(live, rush)


async def test_booking_service_killed_during_a_rush_leaves_nothing_pending(
    live: LivePlatform, rush: Rush
) -> None:
    async with rush.running():
        await rush.until_answered(201, count=20)
        async with down(live.bookings, kill=True):
            await rush.until(attempts=30)
        await rush.until_answered(201, count=20)

    assert rush.outcome.no_answer > 0
    await _accounted(live, rush)


async def test_smtp_refusing_mail_during_a_rush_sends_every_email_once_after(
    live: LivePlatform, rush: Rush
) -> None:
    async with rush.running():
        await rush.until_answered(201, count=20)
        with live.sink.refusing():
            await rush.until_answered(201, count=30)
            refused = live.sink.refused
        await rush.until(attempts=60)

    assert refused > 0
    await _accounted(live, rush)


async def test_mongo_killed_during_a_rush_recovers_without_restarting_services(
    live: LivePlatform, rush: Rush
) -> None:
    services = [live.events, live.notifications]
    processes = [service.process.pid for service in services]
    async with rush.running():
        await rush.until_answered(201, count=20)
        async with down(live.mongo, kill=True):
            await rush.until_answered(503, count=20)
        await rush.until_answered(201, count=20)

    await _accounted(live, rush)
    assert [service.process.pid for service in services] == processes
    assert all(service.running for service in services)


async def test_email_sent_while_mongo_is_killed_is_recorded_when_it_returns_and_sent_once(
    live: LivePlatform, buyers: list[Buyer], rush_event: str
) -> None:
    with live.sink.holding() as held:
        async with httpx.AsyncClient(base_url=live.bookings.url, trust_env=False) as client:
            booked = await client.post(
                "/bookings",
                json={"event_id": rush_event, "tickets": 1},
                headers=bearer(buyers[0].token),
            )
        assert booked.status_code == 201, booked.text
        assert await asyncio.to_thread(held.wait, 30)
        await asyncio.to_thread(live.mongo.kill)
    # The sink has accepted the email; the worker cannot record it while the store is away.
    await asyncio.sleep(1)
    await asyncio.to_thread(live.mongo.start)
    await asyncio.sleep(EMAIL_LEASE_SECONDS + 2)  # an unrecorded email would be sent again

    assert_accounting(await settled_snapshot(live))
