from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import NoDecode

from service_kit.auth import Role
from service_kit.fields import Email
from service_kit.settings import (
    DEV_SECRET_PREFIX,
    Environment,
    SqlServiceSettings,
    development_client_secret,
)
from user_service.rate_limit import RateLimit, RateLimitSetting

DEFAULT_SERVICE_CLIENTS = ("event-service", "booking-service", "notification-service")
# OWASP's floor for argon2id; the defaults are above it.
MIN_PRODUCTION_TIME_COST = 2
MIN_PRODUCTION_MEMORY_KIB = 19456
DEV_SIGNING_KEY_FILE = Path(".data/user-service/jwt-signing-key.pem")

# Per client address, the limits are strict in production and loose elsewhere: in development
# and tests every request comes from one address, and a test run registers hundreds of people.
PER_ADDRESS_LIMITS = {
    "registration_limit": ("10/hour", "10000/hour"),
    "token_failure_limit_per_address": ("10/15min", "1000/15min"),
    "token_failure_limit_per_client": ("30/15min", "1000/15min"),
}


@dataclass(frozen=True)
class ConfiguredAccount:
    """An account the operator configures (ADMIN_*, ORGANIZER_*), made at start."""

    email: str
    password: str
    full_name: str
    role: Role


class UserSettings(SqlServiceSettings):
    service_name: str = "user-service"
    user_database_url: str = Field(
        default="sqlite:///.data/user-service.db",
        description="postgresql://user:pw@host/db in production; a SQLite file by default.",
    )

    jwt_private_key: SecretStr | None = Field(
        default=None,
        description="PEM of the Ed25519 (EdDSA) or RSA (RS256) signing key; on one line, its "
        "line breaks may be written `\\n` (as in a `.env` file).",
    )
    jwt_private_key_file: Path | None = Field(
        default=None, description="Path of the signing key PEM, when not given inline."
    )
    jwt_dev_key_file: Path = Field(
        default=DEV_SIGNING_KEY_FILE,
        description="Development only: where a generated signing key is kept across restarts.",
    )
    access_token_minutes: float = Field(
        default=15,
        gt=0,
        le=24 * 60,
        description="Lifetime of people's access tokens; short, since a role or password change "
        "reaches most checks only when the token is renewed (fractions for tests: 0.1 is 6 s).",
    )
    refresh_token_days: float = Field(
        default=14, gt=0, le=365, description="How long an unused refresh token stays valid."
    )
    service_token_minutes: int = Field(default=10, ge=1, le=24 * 60)

    service_clients: Annotated[dict[str, SecretStr], NoDecode] = Field(
        default_factory=lambda: {
            client: SecretStr(development_client_secret(client))
            for client in DEFAULT_SERVICE_CLIENTS
        },
        description="Client credentials accepted by POST /token: `id:secret,id:secret`.",
    )

    # Read as user-service reads every address (NFKC, lower case): the configured account is
    # the one its owner signs in to, however the setting spells it.
    admin_email: Email | None = None
    admin_password: SecretStr | None = Field(default=None, min_length=8, max_length=128)
    admin_full_name: str = "Administrator"
    organizer_email: Email | None = Field(
        default=None, description="With ORGANIZER_PASSWORD: an organizer account made at start."
    )
    organizer_password: SecretStr | None = Field(default=None, min_length=8, max_length=128)
    organizer_full_name: str = "Organizer"

    login_max_failures: int = Field(default=10, ge=1)
    login_lockout_minutes: int = Field(default=15, ge=1)
    registration_limit: RateLimitSetting | None = Field(
        default=None,
        description="POST /register per client address (`count/window`); default 10/hour in "
        "production, 10000/hour elsewhere.",
    )
    token_failure_limit_per_address: RateLimitSetting | None = Field(
        default=None,
        description="Failed POST /token per client address; default 10/15min in production.",
    )
    token_failure_limit_per_client: RateLimitSetting | None = Field(
        default=None,
        description="Failed POST /token per client id; default 30/15min in production.",
    )
    password_check_limit: RateLimitSetting = Field(
        default=RateLimit.parse("5/15min"),
        description="Wrong `current_password` on PATCH /users/me per account.",
    )
    housekeeping_interval_seconds: float = Field(
        default=600,
        gt=0,
        description="How often old attempts and expired refresh tokens are deleted.",
    )
    password_hash_time_cost: int = Field(default=3, ge=1)
    password_hash_memory_kib: int = Field(default=65536, ge=8)

    @field_validator("jwt_private_key", mode="before")
    @classmethod
    def unescape_line_breaks(cls, value: Any) -> Any:
        if isinstance(value, str) and "\\n" in value:
            return value.replace("\\n", "\n")
        return value

    @field_validator("service_clients", mode="before")
    @classmethod
    def parse_service_clients(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        clients = {}
        for pair in filter(None, (item.strip() for item in value.split(","))):
            client_id, separator, secret = pair.partition(":")
            if not separator or not client_id or not secret:
                raise ValueError("SERVICE_CLIENTS entries must read `client_id:secret`")
            clients[client_id.strip()] = secret.strip()
        return clients

    @model_validator(mode="after")
    def fill_rate_limits(self) -> "UserSettings":
        production = self.env == Environment.PRODUCTION
        for name, (strict, loose) in PER_ADDRESS_LIMITS.items():
            if getattr(self, name) is None:
                setattr(self, name, RateLimit.parse(strict if production else loose))
        return self

    @property
    def database_url(self) -> str:
        return self.user_database_url

    @property
    def configured_accounts(self) -> list[ConfiguredAccount]:
        """The accounts to create (or promote) at start: the admin, then the organizer."""
        accounts = []
        for role, email, password, name in (
            (Role.ADMIN, self.admin_email, self.admin_password, self.admin_full_name),
            (
                Role.ORGANIZER,
                self.organizer_email,
                self.organizer_password,
                self.organizer_full_name,
            ),
        ):
            if email and password:
                accounts.append(
                    ConfiguredAccount(
                        email=email,
                        password=password.get_secret_value(),
                        full_name=name,
                        role=role,
                    )
                )
        return accounts

    @property
    def database_url_variable(self) -> str:
        return "USER_DATABASE_URL"

    def unsafe_production_settings(self) -> list[str]:
        problems = super().unsafe_production_settings()
        if self.jwt_private_key is None and self.jwt_private_key_file is None:
            problems.append(
                "no signing key: set JWT_PRIVATE_KEY or JWT_PRIVATE_KEY_FILE "
                "(the generated development key is not for production)"
            )
        dev_clients = [
            client
            for client, secret in self.service_clients.items()
            if secret.get_secret_value().startswith(DEV_SECRET_PREFIX)
        ]
        if dev_clients:
            problems.append(
                f"SERVICE_CLIENTS uses development secrets for {', '.join(dev_clients)}"
            )
        if (
            self.password_hash_time_cost < MIN_PRODUCTION_TIME_COST
            or self.password_hash_memory_kib < MIN_PRODUCTION_MEMORY_KIB
        ):
            problems.append(
                "password hashing is weaker than the minimum for production "
                f"(time cost {MIN_PRODUCTION_TIME_COST}, memory {MIN_PRODUCTION_MEMORY_KIB} KiB)"
            )
        return problems
