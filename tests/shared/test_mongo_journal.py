"""MongoDB clients: journaled writes survive a killed server; connection attempts are bounded."""

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


async def test_connection_attempts_give_up_after_the_connect_timeout_not_the_drivers_20_s() -> None:
    default = create_mongo_client("mongodb://127.0.0.1:1", app_name="connect-test")
    chosen = create_mongo_client(
        "mongodb://127.0.0.1:1", app_name="connect-test", connect_timeout_seconds=2.5
    )
    try:
        assert default.options.pool_options.connect_timeout == 5.0
        assert chosen.options.pool_options.connect_timeout == 2.5
        assert MongoServiceSettings(env="test").mongo_connect_timeout_seconds == 5.0
    finally:
        await default.close()
        await chosen.close()
