"""user-service's migrations build the models' schema, and a lockout under way survives them."""

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, String, Uuid, column, select, table, text

from service_kit.sql import UTCDateTime, alembic_config, create_engine
from tests.harness.postgres import create_database, drop_database, unique_database_name
from tests.utils.users import full_width
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


BEFORE_NORMAL_EMAILS = "20261130_0002"
USERS = table(
    "users",
    column("id", Uuid()),
    column("email", String()),
    column("full_name", String()),
    column("password_hash", String()),
    column("role", String()),
    column("created_at", UTCDateTime()),
    column("updated_at", UTCDateTime()),
)


def _users(*emails: str) -> Any:
    def step(connection: Connection) -> list[uuid.UUID]:
        rows = [
            {
                "id": uuid.uuid4(),
                "email": email,
                "full_name": "Ada",
                "password_hash": "$argon2id$not-a-real-hash",
                "role": "user",
                "created_at": FAILED_AT,
                "updated_at": FAILED_AT,
            }
            for email in emails
        ]
        connection.execute(USERS.insert(), rows)
        return [row["id"] for row in rows]

    return step


def _emails(connection: Connection) -> dict[uuid.UUID, str]:
    return {row.id: row.email for row in connection.execute(select(USERS.c.id, USERS.c.email))}


async def test_stored_emails_become_their_normal_form(empty_database_url: str) -> None:
    await _on(empty_database_url, _migrate(BEFORE_NORMAL_EMAILS))
    ada, bob = await _on(empty_database_url, _users(full_width("ADA@example.com"), "bob@x.org"))

    await _on(empty_database_url, _migrate("head"))

    assert await _on(empty_database_url, _emails) == {ada: "ada@example.com", bob: "bob@x.org"}


async def test_emails_one_once_normalised_stop_the_upgrade_and_change_nothing(
    empty_database_url: str,
) -> None:
    await _on(empty_database_url, _migrate(BEFORE_NORMAL_EMAILS))
    spellings = ("ada@example.com", full_width("ada") + "@example.com", "K\u212a@x.org")
    ids = await _on(empty_database_url, _users(*spellings))

    with pytest.raises(RuntimeError, match="merge or rename") as refused:
        await _on(empty_database_url, _migrate("head"))

    assert "ada@example.com: " in str(refused.value)
    assert all(str(user_id) in str(refused.value) for user_id in ids[:2])
    assert await _on(empty_database_url, _emails) == dict(zip(ids, spellings, strict=True))
    assert await _on(empty_database_url, _revision) == BEFORE_NORMAL_EMAILS


def _revision(connection: Connection) -> str:
    return str(connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one())
