"""A service stopped, killed or failing while a rush runs: nothing lost, nothing twice."""

import pytest

from tests.utils.accounting import assert_accounting, settled_snapshot
from tests.utils.live_platform import LivePlatform
from tests.utils.rush import Buyer, Rush

pytestmark = pytest.mark.outage


async def test_notification_service_stopped_during_a_rush_delivers_everything_once(
    live: LivePlatform, buyers: list[Buyer], rush_event: str
) -> None:
    rush = Rush(bookings_url=live.bookings.url, event_id=rush_event, buyers=buyers)
    async with rush.running():
        await rush.until_answered(201, count=20)
        with live.notifications.down():
            await rush.until_answered(201, count=30)
        await rush.until(attempts=60)

    print(f"\n{rush.outcome.describe()}")
    assert_accounting(await settled_snapshot(live), rush.outcome)
