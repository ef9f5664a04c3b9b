"""One live platform for the outage tests: each test rushes its own event, breaks one part
while the rush runs, mends it, and ends with the accounting check over everything."""

from collections.abc import Generator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.harness._process import log_tail
from tests.utils.live_platform import ADMIN, LivePlatform, run_live_platform
from tests.utils.rush import Buyer
from tests.utils.users import bearer, random_email

BUYERS = 20
BUYER_PASSWORD = "rush buyer password"


@pytest.fixture(scope="module")
def live(
    postgres_admin_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LivePlatform]:
    data: Path = tmp_path_factory.mktemp("live")
    with run_live_platform(postgres_admin_url, data) as platform:
        yield platform


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.when == "call" and report.failed:
        item.stash[FAILED] = True
    return report


FAILED = pytest.StashKey[bool]()


@pytest.fixture(autouse=True)
def logs_of_a_failure(request: pytest.FixtureRequest, live: LivePlatform) -> Iterator[None]:
    """When a test fails, the end of every process's log is in its report."""
    yield
    if request.node.stash.get(FAILED, False):
        for name in ("users", "events", "bookings", "notifications", "mongo"):
            process = getattr(live, name)
            print(f"\n--- {name} log tail ---\n{log_tail(process.log, 40)}")


def _login(users: httpx.Client, email: str, password: str) -> str:
    response = users.post("/login", json={"email": email, "password": password})
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


@pytest.fixture(scope="module")
def buyers(live: LivePlatform) -> list[Buyer]:
    with httpx.Client(base_url=live.users.url, trust_env=False, timeout=30) as users:
        made = []
        for _ in range(BUYERS):
            email = random_email("rush")
            body = {"email": email, "password": BUYER_PASSWORD, "full_name": "Rush Buyer"}
            users.post("/register", json=body).raise_for_status()
            made.append(Buyer(email=email, token=_login(users, email, BUYER_PASSWORD)))
        return made


@pytest.fixture(scope="module")
def organizer_headers(live: LivePlatform) -> dict[str, str]:
    with httpx.Client(base_url=live.users.url, trust_env=False, timeout=30) as users:
        return bearer(_login(users, ADMIN["email"], ADMIN["password"]))


@pytest.fixture
def rush_event(live: LivePlatform, organizer_headers: dict[str, str]) -> str:
    """A fresh event for this test's rush, plentiful enough to last most of it."""
    with httpx.Client(base_url=live.events.url, trust_env=False, timeout=30) as events:
        created = events.post(
            "/events",
            headers=organizer_headers,
            json={
                "title": "Outage Rush",
                "venue": "Loopback Hall",
                "total_tickets": 300,
                "price": "20.00",
                "currency": "EUR",
                "starts_at": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
            },
        )
        created.raise_for_status()
        event_id: str = created.json()["id"]
        return event_id
