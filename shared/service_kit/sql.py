"""SQL store plumbing for the PostgreSQL services (install `service-kit[sql]`).

URLs are accepted as people write them (`postgresql://...`, `sqlite:///...`) and mapped to the
async drivers; migrations run through Alembic on the service's own engine.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, DateTime, MetaData, event, text
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.types import TypeDecorator

from service_kit.stores import require_reachable
from service_kit.tracing import Tracing

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

_ASYNC_DRIVERS = {
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "sqlite": "sqlite+aiosqlite",
}
# Serialises migrations when several replicas start at once on PostgreSQL.
_MIGRATION_LOCK_ID = 7_400_113


def naming_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


def async_database_url(url: str) -> str:
    """Map `postgresql://` and `sqlite:///` URLs to their async drivers; keep explicit drivers."""
    parsed = make_url(url)
    driver = _ASYNC_DRIVERS.get(parsed.drivername)
    if driver is not None:
        parsed = parsed.set(drivername=driver)
    return parsed.render_as_string(hide_password=False)


def _enable_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def create_engine(
    url: str, *, pool_size: int = 10, echo: bool = False, tracing: Tracing | None = None
) -> AsyncEngine:
    """The service's engine; with `tracing`, each statement is a span.

    Statement parameters are left out of its errors (`hide_parameters`): they hold password
    hashes and tokens, and an error's text ends up in a log line.
    """
    async_url = make_url(async_database_url(url))
    if async_url.get_backend_name() == "sqlite":
        if async_url.database and async_url.database != ":memory:":
            Path(async_url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(async_url, echo=echo, hide_parameters=True)
        event.listen(engine.sync_engine, "connect", _enable_sqlite_pragmas)
    else:
        engine = create_async_engine(
            async_url,
            echo=echo,
            hide_parameters=True,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_pre_ping=True,
        )
    if tracing is not None:
        tracing.instrument_sql_engine(engine)
    return engine


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite drops the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass a timezone-aware value")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def alembic_config(script_location: str) -> Config:
    config = Config()
    config.set_main_option("script_location", script_location)
    return config


async def run_migrations(engine: AsyncEngine, *, script_location: str) -> None:
    """Upgrade the schema to head on `engine`; safe when several replicas start together."""
    config = alembic_config(script_location)

    def upgrade(connection: Connection) -> None:
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK_ID}
            )
        config.attributes["connection"] = connection
        command.upgrade(config, "head")

    async with engine.begin() as connection:
        await connection.run_sync(upgrade)


async def migrate_database(url: str, *, script_location: str) -> None:
    """Apply the migrations to the database at `url` and close (a migration Job's whole work)."""
    engine = create_engine(url, pool_size=1)
    try:
        await run_migrations(engine, script_location=script_location)
    finally:
        await engine.dispose()


async def require_database(engine: AsyncEngine, *, variable: str, url: str) -> None:
    """Fail the start with one clear line when the database cannot be reached."""
    await require_reachable(
        sql_readiness_check(engine),
        store="the database",
        variable=variable,
        url=url,
        hint=f"Start PostgreSQL and create the database first (`createdb <name>`), or unset "
        f"{variable} to keep the data in a SQLite file under .data/.",
    )


def sql_readiness_check(engine: AsyncEngine) -> Callable[[], Any]:
    async def check() -> None:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    return check


def run_alembic_env(*, target_metadata: MetaData, database_url: Callable[[], str]) -> None:
    """The body of a service's `migrations/env.py`.

    At startup the app hands Alembic its own connection (`run_migrations`); from the command
    line the service's settings name the database.
    """
    import asyncio

    from alembic import context

    def run_on_connection(connection: Connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()

    async def run_with_own_engine() -> None:
        engine = create_engine(database_url())
        async with engine.begin() as connection:
            await connection.run_sync(run_on_connection)
        await engine.dispose()

    if context.is_offline_mode():
        raise SystemExit("offline (--sql) migrations are not supported; run against a database")
    shared_connection = context.config.attributes.get("connection")
    if shared_connection is not None:
        run_on_connection(shared_connection)
    else:
        asyncio.run(run_with_own_engine())
