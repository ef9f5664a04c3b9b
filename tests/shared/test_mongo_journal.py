"""Journaled writes: what MongoDB acknowledged survives the server being killed."""

import pytest
from pydantic import ValidationError

from service_kit.mongo import create_mongo_client
from service_kit.settings import MongoServiceSettings
from tests.harness.mongo import serve_secantus


async def test_journaled_writes_survive_the_server_killed_and_started_again() -> None:
    with serve_secantus(durable=True) as server:
        client = create_mongo_client(server.url, app_name="journal-test", journal=True)
        try:
            kept = client["journal"]["kept"]
            for number in range(100):
                await kept.insert_one({"number": number})
            server.kill()
            server.start()
            assert await kept.count_documents({}) == 100
        finally:
            await client.close()


def test_journaled_writes_are_on_in_production_and_off_elsewhere_by_default() -> None:
    production = MongoServiceSettings(env="production", service_client_secret="from-a-vault")

    assert production.journal_writes is True
    assert MongoServiceSettings(env="test").journal_writes is False
    assert MongoServiceSettings(env="test", mongo_journal=True).journal_writes is True


def test_production_refuses_unjournaled_writes() -> None:
    with pytest.raises(ValidationError) as error:
        MongoServiceSettings(
            env="production", service_client_secret="from-a-vault", mongo_journal=False
        )

    assert "MONGO_JOURNAL=false" in str(error.value)
