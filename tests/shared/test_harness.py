"""The harness hands out real stores: prove each answers like the servers production uses."""

import smtplib
import uuid
from email.message import EmailMessage

import psycopg
import pytest
from pymongo import AsyncMongoClient
from pymongo.errors import DuplicateKeyError

from tests.harness.postgres import create_database, drop_database, unique_database_name
from tests.harness.smtp import run_smtp_sink


def test_postgres_databases_are_fresh_and_dropped(postgres_admin_url: str) -> None:
    name = unique_database_name("harness")
    url = create_database(postgres_admin_url, name)
    with psycopg.connect(url) as connection:
        tables = connection.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    drop_database(postgres_admin_url, name)

    assert tables == (0,)
    with psycopg.connect(postgres_admin_url) as connection:
        left = connection.execute(
            "SELECT count(*) FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
    assert left == (0,)


async def test_mongo_supports_unique_indexes_and_conditional_updates(mongo_url: str) -> None:
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(mongo_url)
    database = client[f"harness_{uuid.uuid4().hex[:8]}"]
    try:
        stock = database["stock"]
        await stock.create_index("sku", unique=True)
        await stock.insert_one({"sku": "a", "available": 3})
        with pytest.raises(DuplicateKeyError):
            await stock.insert_one({"sku": "a", "available": 1})

        taken = await stock.find_one_and_update(
            {"sku": "a", "available": {"$gte": 2}}, {"$inc": {"available": -2}}
        )
        refused = await stock.find_one_and_update(
            {"sku": "a", "available": {"$gte": 2}}, {"$inc": {"available": -2}}
        )

        assert taken is not None
        assert refused is None
        assert (await stock.find_one({"sku": "a"}) or {})["available"] == 1
    finally:
        await client.drop_database(database.name)
        await client.close()


def test_smtp_sink_refusing_answers_a_temporary_failure_then_accepts_again() -> None:
    with run_smtp_sink() as sink:
        message = EmailMessage()
        message["Subject"] = "Hello"
        with (
            sink.refusing(),
            smtplib.SMTP(sink.host, sink.port) as smtp,
            pytest.raises(smtplib.SMTPRecipientsRefused) as refused,
        ):
            smtp.send_message(message, "a@example.com", ["b@example.com"])
        with smtplib.SMTP(sink.host, sink.port) as smtp:
            smtp.send_message(message, "a@example.com", ["b@example.com"])
        received = [str(m["Subject"]) for m in sink.messages()]

    assert refused.value.recipients["b@example.com"][0] == 451
    assert sink.refused == 1
    assert received == ["Hello"]
