"""Settings common to every service, read from the environment (and `.env`).

Defaults work out of the box on one machine; `ENV=production` refuses development values.
"""

from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


DEV_SECRET_PREFIX = "dev-"  # noqa: S105 (a marker, not a secret)


def development_client_secret(client_id: str) -> str:
    """The development secret of a service client, known to user-service and that service alike."""
    return f"{DEV_SECRET_PREFIX}{client_id}-secret"


class UnsafeSettingsError(ValueError):
    pass


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", env_file_encoding="utf-8", hide_input_in_errors=True
    )

    service_name: str = "service"
    env: Environment = Environment.DEVELOPMENT
    log_level: str = "INFO"
    log_json: bool = True
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default=["http://localhost:5173", "http://127.0.0.1:5173"],
        description="Comma-separated origins allowed to call the API from a browser.",
    )

    user_service_url: str = Field(
        default="http://localhost:8000",
        description="user-service: every service fetches the token signing keys from it.",
    )

    jwt_issuer: str = "event-booking/user-service"
    jwt_audience: str = "event-booking"
    jwks_url: str | None = Field(
        default=None, description="Defaults to USER_SERVICE_URL + /.well-known/jwks.json."
    )
    jwks_cache_seconds: int = Field(default=300, ge=1)

    max_request_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        description="Largest request body accepted; a larger one is refused with 413 unread.",
    )

    http_connect_timeout: float = Field(default=2.0, gt=0)
    http_read_timeout: float = Field(default=5.0, gt=0)
    http_retry_budget_seconds: float = Field(
        default=4,
        gt=0,
        description="Total time a retried call of the kit's own (signing keys) may take.",
    )
    http_max_connections: int = Field(default=100, ge=1)
    http_max_connections_per_peer: int = Field(
        default=16,
        ge=1,
        description="Most calls in flight to one peer (host and port); more wait, unsent, in "
        "line for a connection within their time budget, rather than pile onto a busy peer.",
    )

    otel_exporter_otlp_endpoint: str | None = Field(
        default=None,
        description="OTLP/HTTP collector (e.g. http://localhost:4318); tracing is off when unset.",
    )
    otel_exporter_otlp_protocol: str = Field(
        default="http/protobuf", description="Only `http/protobuf` is installed (not `grpc`)."
    )
    otel_service_name: str | None = Field(
        default=None, description="The service name on spans; defaults to the service's name."
    )

    service_client_id: str | None = Field(
        default=None, description="This service's client id at user-service; the service name."
    )
    service_client_secret: str | None = Field(
        default=None, description="Defaults to the development secret in development only."
    )

    @field_validator("cors_origins", mode="before")
    @classmethod
    def split_origins(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("user_service_url")
    @classmethod
    def strip_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("otel_exporter_otlp_endpoint")
    @classmethod
    def check_otlp_endpoint(cls, value: str | None) -> str | None:
        if not value:
            return None  # set but empty, as compose files leave it: off
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL")
        return value.rstrip("/")

    @model_validator(mode="after")
    def check_otlp_protocol(self) -> "ServiceSettings":
        protocol = self.otel_exporter_otlp_protocol
        if self.otel_exporter_otlp_endpoint is not None and protocol != "http/protobuf":
            raise ValueError(
                f"OTEL_EXPORTER_OTLP_PROTOCOL={protocol} is not supported: spans are sent as "
                "http/protobuf (port 4318 on most collectors)"
            )
        return self

    @model_validator(mode="after")
    def fill_derived_defaults(self) -> "ServiceSettings":
        if self.jwks_url is None:
            self.jwks_url = f"{self.user_service_url}/.well-known/jwks.json"
        if self.service_client_id is None:
            self.service_client_id = self.service_name
        if self.otel_service_name is None:
            self.otel_service_name = self.service_name
        if self.service_client_secret is None and self.env != Environment.PRODUCTION:
            self.service_client_secret = development_client_secret(self.service_client_id)
        return self

    @model_validator(mode="after")
    def refuse_unsafe_production(self) -> "ServiceSettings":
        if self.env == Environment.PRODUCTION:
            problems = self.unsafe_production_settings()
            if problems:
                raise UnsafeSettingsError(
                    "refusing to start with ENV=production: " + "; ".join(problems)
                )
        return self

    def unsafe_production_settings(self) -> list[str]:
        """What is unsafe for production; subclasses extend the list with their own checks."""
        problems = []
        if "*" in self.cors_origins:
            problems.append("CORS_ORIGINS=* lets any web site call the API with users' tokens")
        secret = self.service_client_secret
        if secret is not None and secret.startswith(DEV_SECRET_PREFIX):
            problems.append("SERVICE_CLIENT_SECRET is a development secret")
        return problems

    @property
    def is_development(self) -> bool:
        return self.env == Environment.DEVELOPMENT


class MongoServiceSettings(ServiceSettings):
    """Settings of a service that keeps its data in MongoDB."""

    mongo_url: str = Field(default="mongodb://localhost:27017", description="MongoDB URL.")
    mongo_timeout_seconds: float = Field(
        default=1.5,
        gt=0,
        description="How long an operation waits for a reachable MongoDB server; past it the "
        "request is answered 503 (the server selection timeout).",
    )
    mongo_connect_timeout_seconds: float = Field(
        default=5.0,
        gt=0,
        description="How long opening a connection to MongoDB (or a monitor's check of it) may "
        "take: bounds how long a service waits, and takes to stop, once the server has vanished "
        "from the network without refusing connections.",
    )
    store_retry_after_seconds: int = Field(
        default=5, ge=1, description="`Retry-After` of a 503 while the store is unreachable."
    )
    mongo_journal: bool | None = Field(
        default=None,
        description="Acknowledge a write only once MongoDB has it in its journal (j: true), so "
        "that a crash of the store loses no write a caller was told of (tickets reserved, an "
        "email recorded as sent). Costs a journal sync per write; defaults to on in production "
        "and off elsewhere.",
    )

    @property
    def journal_writes(self) -> bool:
        if self.mongo_journal is not None:
            return self.mongo_journal
        return self.env == Environment.PRODUCTION

    def unsafe_production_settings(self) -> list[str]:
        problems = super().unsafe_production_settings()
        if not self.journal_writes:
            problems.append(
                "MONGO_JOURNAL=false: a crash of MongoDB could lose writes already acknowledged "
                "(tickets reserved, emails recorded as sent)"
            )
        return problems


class SqlServiceSettings(ServiceSettings):
    """Settings of a service that keeps its data in SQL (PostgreSQL, or SQLite in development)."""

    database_pool_size: int = Field(
        default=10, ge=1, description="PostgreSQL connections per process (and as many overflow)."
    )
    auto_migrate: bool | None = Field(
        default=None, description="Apply migrations at startup; defaults to on outside production."
    )

    @property
    def database_url(self) -> str:
        """The service's own database URL setting (each service names its variable)."""
        raise NotImplementedError

    @property
    def database_url_variable(self) -> str:
        raise NotImplementedError

    @property
    def migrate_at_startup(self) -> bool:
        if self.auto_migrate is not None:
            return self.auto_migrate
        return self.env != Environment.PRODUCTION

    def unsafe_production_settings(self) -> list[str]:
        problems = super().unsafe_production_settings()
        if self.database_url.startswith("sqlite"):
            problems.append(
                f"{self.database_url_variable} points at SQLite; use PostgreSQL in production"
            )
        return problems
