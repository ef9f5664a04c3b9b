"""The rush scenario, tiny: it must stay exact. Its speed is the benchmark's business, not this."""

from tests.bench.checks import check
from tests.bench.platform import run_platform
from tests.bench.rush import RushSize, run_rush

TINY = RushSize(tickets=20, buyers=8, attempts=40)
EXACT = (
    "oversold",
    "accounting_mismatches",
    "pending_left",
    "releases_owed",
    "notifications_missing",
    "notifications_duplicated",
    "emails_missing",
    "emails_duplicated",
)


async def test_rush_tiny_sells_each_ticket_once_and_delivers_each_notice_once(
    mongo_url: str,
) -> None:
    with run_platform(mongo_url=mongo_url) as platform:
        outcome = await run_rush(platform, TINY)
        correctness = check(platform, outcome.expected, wait_seconds=60)

    assert set(outcome.result.statuses) <= {201, 409}, outcome.result.statuses
    assert outcome.figures["confirmed"] > 0
    figures = correctness.as_dict()
    assert {check: figures[check] for check in EXACT if figures[check]} == {}
