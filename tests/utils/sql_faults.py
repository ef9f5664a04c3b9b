"""Make a real PostgreSQL database refuse writes, to drive a service down its error paths."""

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql

from tests.harness.postgres import normalize_url

_FUNCTION = "refuse_write_for_test"


@contextmanager
def refused_writes(database_url: str, *tables: str) -> Iterator[None]:
    """While open, every INSERT or UPDATE on `tables` fails inside PostgreSQL."""
    with psycopg.connect(normalize_url(database_url), autocommit=True) as connection:
        connection.execute(
            sql.SQL(
                "CREATE OR REPLACE FUNCTION {}() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'writes refused by the test'; END $$"
            ).format(sql.Identifier(_FUNCTION))
        )
        for table in tables:
            connection.execute(
                sql.SQL(
                    "CREATE TRIGGER {} BEFORE INSERT OR UPDATE ON {} "
                    "FOR EACH ROW EXECUTE FUNCTION {}()"
                ).format(
                    sql.Identifier(f"refuse_{table}"),
                    sql.Identifier(table),
                    sql.Identifier(_FUNCTION),
                )
            )
        try:
            yield
        finally:
            for table in tables:
                connection.execute(
                    sql.SQL("DROP TRIGGER IF EXISTS {} ON {}").format(
                        sql.Identifier(f"refuse_{table}"), sql.Identifier(table)
                    )
                )
