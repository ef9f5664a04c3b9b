"""booking-service's migrations: the schema they build matches the models, and the event's place
and time zone arrive on existing data as documented (old bookings read as UTC; notices waiting
in the outbox keep only their facts)."""

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from pydantic import TypeAdapter
from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Integer,
    String,
    Uuid,
    column,
    inspect,
    select,
    table,
    text,
)

from booking_service.models import Base
from notification_service.schemas import NotificationCreate
from service_kit.sql import UTCDateTime, alembic_config, create_engine
from tests.harness.postgres import create_database, drop_database, unique_database_name

SCRIPTS = "booking_service:migrations"
BEFORE_PLACE = "20261125_0001"
OLD_BOOKING = uuid.UUID("00000000-0000-4000-8000-000000000001")
OLD_PAYLOAD = {
    "user_email": "ada@example.com",
    "kind": "booking_cancelled",
    "subject": "Booking cancelled: Jazz Night",
    "body": "Your booking of 2 ticket(s) for Jazz Night on Saturday ... is cancelled.",
    "data": {
        "booking_id": str(OLD_BOOKING),
        "event_id": "ev-1",
        "event_title": "Jazz Night",
        "starts_at": "2030-03-14T18:30:00+00:00",
        "tickets": 2,
        "unit_price": "30.00",
        "total_price": "60.00",
        "currency": "EUR",
        "venue": None,
        "city": None,
    },
    "dedupe_key": f"booking_cancelled:{OLD_BOOKING}",
    "send_email": True,
}


@pytest.fixture(params=["postgresql", "sqlite"])
def empty_database_url(
    request: pytest.FixtureRequest, postgres_admin_url: str, tmp_path: Path
) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'bookings.db'}"
        return
    name = unique_database_name("bookings_migrations")
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


# The tables as the first revision made them (the models have moved on since).
OLD_BOOKINGS = table(
    "bookings",
    column("id", Uuid()),
    column("user_id", Uuid()),
    column("event_id", String()),
    column("event_title", String()),
    column("event_starts_at", UTCDateTime()),
    column("tickets", Integer()),
    column("status", String()),
    column("release_pending", Boolean()),
    column("created_by", String()),
    column("created_at", UTCDateTime()),
    column("updated_at", UTCDateTime()),
)
OLD_OUTBOX = table(
    "outbox_messages",
    column("id", Uuid()),
    column("booking_id", Uuid()),
    column("kind", String()),
    column("dedupe_key", String()),
    column("payload", JSON()),
    column("status", String()),
    column("attempts", Integer()),
    column("next_attempt_at", UTCDateTime()),
    column("created_at", UTCDateTime()),
)


def _old_rows(connection: Connection) -> None:
    now = datetime(2030, 1, 1, tzinfo=UTC)
    common = {"user_id": uuid.uuid4(), "event_id": "ev-1", "release_pending": False}
    common |= {"created_by": "me", "created_at": now, "updated_at": now}
    connection.execute(
        OLD_BOOKINGS.insert(),
        [
            {
                **common,
                "id": OLD_BOOKING,
                "event_title": "Jazz Night",
                "event_starts_at": datetime(2030, 3, 14, 18, 30, tzinfo=UTC),
                "tickets": 2,
                "status": "cancelled",
            },
            {
                **common,
                "id": uuid.uuid4(),
                "event_title": None,
                "event_starts_at": None,
                "tickets": 1,
                "status": "pending",
            },
        ],
    )
    connection.execute(
        OLD_OUTBOX.insert().values(
            id=uuid.uuid4(),
            booking_id=OLD_BOOKING,
            kind="booking_cancelled",
            dedupe_key=OLD_PAYLOAD["dedupe_key"],
            payload=OLD_PAYLOAD,
            status="pending",
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
    )


def _migrated_rows(connection: Connection) -> tuple[list[Any], Any]:
    bookings = connection.execute(
        text("SELECT status, event_timezone, event_venue, event_city FROM bookings ORDER BY status")
    ).all()
    payload = connection.execute(select(OLD_OUTBOX.c.payload)).scalar_one()
    return [tuple(row) for row in bookings], payload


def _booking_columns(connection: Connection) -> set[str]:
    return {column["name"] for column in inspect(connection).get_columns("bookings")}


def _schema_differences(connection: Connection) -> list[Any]:
    return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))


async def test_migrations_build_the_schema_of_the_models(empty_database_url: str) -> None:
    await _on(empty_database_url, _migrate("head"))

    assert await _on(empty_database_url, _schema_differences) == []


async def test_migration_to_event_place_keeps_old_bookings_in_utc_and_notices_as_facts(
    empty_database_url: str,
) -> None:
    await _on(empty_database_url, _migrate(BEFORE_PLACE))
    await _on(empty_database_url, _old_rows)

    await _on(empty_database_url, _migrate("head"))

    bookings, payload = await _on(empty_database_url, _migrated_rows)
    assert bookings == [("cancelled", "UTC", None, None), ("pending", None, None, None)]
    assert "subject" not in payload
    assert "body" not in payload
    assert payload["data"] == {k: v for k, v in OLD_PAYLOAD["data"].items() if v is not None}
    # What notification-service now accepts for a booking notice.
    TypeAdapter(NotificationCreate).validate_python(payload)


async def test_migration_to_event_place_downgrades_to_the_columns_before(
    empty_database_url: str,
) -> None:
    await _on(empty_database_url, _migrate("head"))

    await _on(empty_database_url, _migrate(BEFORE_PLACE, down=True))

    columns = await _on(
        empty_database_url,
        lambda connection: {
            column["name"] for column in inspect(connection).get_columns("bookings")
        },
    )
    assert not {"event_timezone", "event_venue", "event_city"} & columns
    assert "event_starts_at" in columns
