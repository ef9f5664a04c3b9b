"""The Kubernetes migration Job's command applies a service's migrations and exits."""

import os
import subprocess
import sys

import psycopg
import pytest

from tests.harness.postgres import create_database, drop_database, unique_database_name


@pytest.mark.parametrize(
    ("module", "variable", "table"),
    [
        ("user_service.migrate", "USER_DATABASE_URL", "users"),
        ("booking_service.migrate", "BOOKING_DATABASE_URL", "bookings"),
    ],
)
def test_migrate_module_creates_the_schema_on_an_empty_database(
    postgres_admin_url: str, module: str, variable: str, table: str
) -> None:
    name = unique_database_name("migrate")
    url = create_database(postgres_admin_url, name)
    try:
        env = {**os.environ, variable: url, "ENV": "test", "AUTO_MIGRATE": "false"}
        subprocess.run([sys.executable, "-m", module], env=env, check=True, timeout=60)
        with psycopg.connect(url.replace("+psycopg", "")) as connection:
            tables = {row[0] for row in connection.execute("SELECT tablename FROM pg_tables")}
            version = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        assert table in tables
        assert version is not None
    finally:
        drop_database(postgres_admin_url, name)
