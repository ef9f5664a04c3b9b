"""A part of the platform stopped, killed or failing while a rush runs: nothing lost, nothing
done twice, and every outage test ends with the same accounting check."""

import pytest

from tests.utils.accounting import assert_accounting, settled_snapshot
from tests.utils.live_platform import LivePlatform
from tests.utils.outage import down
from tests.utils.rush import Buyer, Rush

pytestmark = pytest.mark.outage


@pytest.fixture
def rush(live: LivePlatform, buyers: list[Buyer], rush_event: str) -> Rush:
    return Rush(bookings_url=live.bookings.url, event_id=rush_event, buyers=buyers)


async def _settles(live: LivePlatform, rush: Rush) -> None:
    import time

    t = time.monotonic()
    print(f"\n{rush.outcome.describe()}")
    snap = await settled_snapshot(live)
    print("settled in", time.monotonic() - t)
    import shutil, os

    os.makedirs("/tmp/outage-logs", exist_ok=True)
    for name in ("users", "events", "bookings", "notifications", "mongo"):
        shutil.copy(
            getattr(live, name).log,
            f"/tmp/outage-logs/{os.environ.get('PYTEST_CURRENT_TEST', 'x').split('::')[-1].split(' ')[0]}-{name}.log",
        )
    assert_accounting(snap, rush.outcome)


async def test_notification_service_stopped_during_a_rush_delivers_everything_once(
    live: LivePlatform, rush: Rush
) -> None:
    import time

    t = time.monotonic()
    async with rush.running():
        print("up", time.monotonic() - t)
        await rush.until_answered(201, count=20)
        print("\nstarted", time.monotonic() - t)
        async with down(live.notifications):
            print("down", time.monotonic() - t)
            await rush.until_answered(201, count=30)
        print("up", time.monotonic() - t)
        await rush.until(attempts=60)

    print("rush", time.monotonic() - t)
    await _settles(live, rush)


async def test_event_service_stopped_during_a_rush_answers_503_and_holds_nothing(
    live: LivePlatform, rush: Rush
) -> None:
    import time

    t = time.monotonic()
    async with rush.running():
        print("up", time.monotonic() - t)
        await rush.until_answered(201, count=20)
        print("\nstarted", time.monotonic() - t)
        async with down(live.events):
            print("down", time.monotonic() - t)
            await rush.until_answered(503, count=30)
        print("up", time.monotonic() - t)
        await rush.until_answered(201, count=20)

    print("rush", time.monotonic() - t)
    await _settles(live, rush)


async def test_booking_service_killed_during_a_rush_leaves_nothing_pending(
    live: LivePlatform, rush: Rush
) -> None:
    import time

    t = time.monotonic()
    async with rush.running():
        print("up", time.monotonic() - t)
        await rush.until_answered(201, count=20)
        print("\nstarted", time.monotonic() - t)
        async with down(live.bookings, kill=True):
            print("down", time.monotonic() - t)
            await rush.until(attempts=30)
        print("up", time.monotonic() - t)
        await rush.until_answered(201, count=20)

    assert rush.outcome.no_answer > 0
    print("rush", time.monotonic() - t)
    await _settles(live, rush)


async def test_smtp_refusing_mail_during_a_rush_sends_every_email_once_after(
    live: LivePlatform, rush: Rush
) -> None:
    import time

    t = time.monotonic()
    async with rush.running():
        print("up", time.monotonic() - t)
        await rush.until_answered(201, count=20)
        print("\nstarted", time.monotonic() - t)
        with live.sink.refusing():
            print("down", time.monotonic() - t)
            await rush.until_answered(201, count=30)
            refused_before = live.sink.refused
        print("up", time.monotonic() - t)
        await rush.until(attempts=60)

    assert refused_before > 0
    print("rush", time.monotonic() - t)
    await _settles(live, rush)


async def test_mongo_killed_during_a_rush_recovers_without_restarting_services(
    live: LivePlatform, rush: Rush
) -> None:
    import time

    t = time.monotonic()
    async with rush.running():
        print("up", time.monotonic() - t)
        await rush.until_answered(201, count=20)
        print("\nstarted", time.monotonic() - t)
        async with down(live.mongo, kill=True):
            print("down", time.monotonic() - t)
            await rush.until_answered(503, count=20)
        print("up", time.monotonic() - t)
        await rush.until_answered(201, count=20)

    print("rush", time.monotonic() - t)
    await _settles(live, rush)
