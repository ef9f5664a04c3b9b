"""user-service's migrations build the models' schema, and a lockout under way survives them."""

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, String, column, table, text

from service_kit.sql import UTCDateTime, alembic_config, create_engine
from tests.harness.postgres import create_database, drop_database, unique_database_name
from user_service.models import Base

SCRIPTS = "user_service:migrations"
BEFORE_ATTEMPTS = "20261125_0001"
FAILED_AT = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
OLD_FAILURES = table(
    "login_failures", column("email", String()), column("failed_at", UTCDateTime())
)


@pytest.fixture(params=["postgresql", "sqlite"])
def empty_database_url(
    request: pytest.FixtureRequest, postgres_admin_url: str, tmp_path: Path
) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'users.db'}"
        return
    name = unique_database_name("users_migrations")
    yield create_database(postgres_admin_url, name)
    drop_database(postgres_admin_url, name)


async def _on(url: str, step: Any) -> Any:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            return await connection.run_sync(step)
    finally:
        await engine.dispose()


def _migrate(revision: str, *, down: bool = False) -> Any:
    def step(connection: Connection) -> None:
        config = alembic_config(SCRIPTS)
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)

    return step


def _schema_differences(connection: Connection) -> list[Any]:
    return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))


def _old_failures(connection: Connection) -> None:
    connection.execute(
        OLD_FAILURES.insert(),
        [{"email": "ada@example.com", "failed_at": FAILED_AT} for _ in range(3)],
    )


def _attempts(connection: Connection) -> list[tuple[Any, ...]]:
    rows = connection.execute(text("SELECT scope, key FROM attempts ORDER BY id")).all()
    return [tuple(row) for row in rows]


def _failures(connection: Connection) -> list[tuple[Any, ...]]:
    rows = connection.execute(text("SELECT email FROM login_failures")).all()
    return [tuple(row) for row in rows]


async def test_migrations_build_the_schema_of_the_models(empty_database_url: str) -> None:
    await _on(empty_database_url, _migrate("head"))

    assert await _on(empty_database_url, _schema_differences) == []


async def test_failed_logins_become_attempts_and_back(empty_database_url: str) -> None:
    await _on(empty_database_url, _migrate(BEFORE_ATTEMPTS))
    await _on(empty_database_url, _old_failures)

    await _on(empty_database_url, _migrate("head"))
    assert await _on(empty_database_url, _attempts) == [("login", "ada@example.com")] * 3

    await _on(empty_database_url, _migrate(BEFORE_ATTEMPTS, down=True))
    assert await _on(empty_database_url, _failures) == [("ada@example.com",)] * 3
