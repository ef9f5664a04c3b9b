"""Alembic environment: runs on the app's connection at startup, or on USER_DATABASE_URL."""

import asyncio

from alembic import context
from sqlalchemy import Connection

from service_kit.sql import create_engine
from user_service.config import UserSettings
from user_service.models import Base

target_metadata = Base.metadata


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
    engine = create_engine(UserSettings().user_database_url)
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
