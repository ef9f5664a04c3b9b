import pytest
from pydantic import ValidationError

from service_kit.settings import ServiceSettings
from user_service.config import UserSettings


def test_settings_read_environment_with_working_local_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("USER_SERVICE_URL", "http://users.internal:9000/")
    monkeypatch.setenv("CORS_ORIGINS", "http://a.example, http://b.example")

    settings = ServiceSettings(service_name="booking-service")

    assert settings.user_service_url == "http://users.internal:9000"
    assert settings.jwks_url == "http://users.internal:9000/.well-known/jwks.json"
    assert settings.cors_origins == ["http://a.example", "http://b.example"]
    assert settings.service_client_id == "booking-service"
    assert settings.service_client_secret == "dev-booking-service-secret"


def test_development_client_secrets_match_between_services() -> None:
    issuer = UserSettings()
    for client in ("event-service", "booking-service", "notification-service"):
        caller = ServiceSettings(service_name=client)
        assert caller.service_client_secret is not None
        assert issuer.service_clients[client].get_secret_value() == caller.service_client_secret


def test_production_refuses_wildcard_cors_and_dev_secrets() -> None:
    with pytest.raises(ValidationError) as error:
        ServiceSettings(env="production", cors_origins=["*"], service_client_secret="dev-x-secret")

    message = str(error.value)
    assert "CORS_ORIGINS=*" in message
    assert "development secret" in message


def test_production_user_service_refuses_generated_key_and_weak_defaults() -> None:
    with pytest.raises(ValidationError) as error:
        UserSettings(env="production", password_hash_time_cost=1)

    message = str(error.value)
    assert "JWT_PRIVATE_KEY" in message
    assert "SERVICE_CLIENTS" in message
    assert "SQLite" in message
    assert "password hashing" in message


def test_production_with_safe_settings_starts(tmp_path: object) -> None:
    settings = UserSettings(
        env="production",
        jwt_private_key="-----BEGIN PRIVATE KEY-----...",
        service_clients="booking-service:s3cr3t-from-vault",
        user_database_url="postgresql://u:p@db/users",
        cors_origins="https://tickets.example",
    )

    assert settings.service_clients["booking-service"].get_secret_value() == "s3cr3t-from-vault"
    assert settings.migrate_at_startup is False


def test_service_clients_setting_must_pair_ids_and_secrets() -> None:
    with pytest.raises(ValidationError):
        UserSettings(service_clients="booking-service")
