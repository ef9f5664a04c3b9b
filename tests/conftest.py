"""The real-store harness: every test session gets fresh databases on real servers.

PostgreSQL and the MongoDB-compatible server are found or started once per session (see
`tests/harness`); each service's fixtures create their own databases and drop them at the end.
"""

from collections.abc import Iterator

import pytest

from tests.harness import HarnessError
from tests.harness.mongo import provide_mongo
from tests.harness.postgres import provide_postgres


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    try:
        with provide_postgres() as url:
            yield url
    except HarnessError as exc:
        pytest.exit(str(exc), returncode=3)


@pytest.fixture(scope="session")
def mongo_url() -> Iterator[str]:
    try:
        with provide_mongo() as url:
            yield url
    except HarnessError as exc:
        pytest.exit(str(exc), returncode=3)
