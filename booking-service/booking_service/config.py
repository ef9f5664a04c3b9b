from pydantic import Field, field_validator

from service_kit.settings import SqlServiceSettings


class BookingSettings(SqlServiceSettings):
    service_name: str = "booking-service"
    event_service_url: str = Field(
        default="http://localhost:8001", description="event-service, where tickets are reserved."
    )
    notification_service_url: str = Field(
        default="http://localhost:8003", description="notification-service, told of each booking."
    )
    booking_database_url: str = Field(
        default="sqlite:///.data/booking-service.db",
        description="postgresql://user:pw@host/db in production; a SQLite file by default.",
    )
    max_tickets_per_booking: int = Field(default=10, ge=1, le=1000)

    booking_dependency_budget_seconds: float = Field(
        default=4,
        gt=0,
        description="How long one booking step may wait for user- and event-service, retries "
        "included; then its outcome is unknown (503 + Retry-After, and recovery settles it).",
    )
    booking_max_in_flight: int = Field(
        default=32,
        ge=1,
        le=10_000,
        description="Most bookings placed at once by one process; more wait their turn, having "
        "recorded nothing, so that a rush does not spend every booking's dependency budget on "
        "queueing for the CPU and the peers.",
    )
    booking_queue_wait_seconds: float = Field(
        default=10,
        gt=0,
        le=60,
        description="How long a booking waits for its turn before it is refused with 503 "
        "(`reason: busy`, `Retry-After`), having recorded nothing.",
    )
    sold_out_cache_seconds: float = Field(
        default=1,
        ge=0,
        le=10,
        description="For this long after event-service said an event is sold out (or has too "
        "few tickets, or is closed), a booking it could not take is refused at once, writing "
        "nothing; a release elsewhere reaches it within this time (0: always ask).",
    )
    user_cache_seconds: float = Field(
        default=5,
        ge=0,
        le=60,
        description="How long a user's existence and email, as user-service told them, are "
        "reused for further bookings (0: ask on every booking).",
    )
    recovery_interval_seconds: float = Field(default=15, gt=0)
    recovery_grace_seconds: float = Field(
        default=30, gt=0, description="A booking pending longer than this counts as interrupted."
    )
    idempotency_wait_seconds: float = Field(
        default=10, gt=0, description="How long a racing replay waits for the first request."
    )

    outbox_poll_seconds: float = Field(default=2, gt=0)
    outbox_batch_size: int = Field(default=50, ge=1, le=1000)
    outbox_max_attempts: int = Field(default=30, ge=1)
    outbox_backoff_seconds: float = Field(default=1, gt=0)
    outbox_backoff_max_seconds: float = Field(default=300, gt=0)
    outbox_lease_seconds: float = Field(
        default=30, gt=0, description="How long a relay keeps a claimed message to itself."
    )

    @field_validator("event_service_url", "notification_service_url")
    @classmethod
    def strip_trailing_slash_of_peers(cls, value: str) -> str:
        return value.rstrip("/")

    @property
    def database_url(self) -> str:
        return self.booking_database_url

    @property
    def database_url_variable(self) -> str:
        return "BOOKING_DATABASE_URL"

    @property
    def token_url(self) -> str:
        return f"{self.user_service_url}/token"

    def unsafe_production_settings(self) -> list[str]:
        problems = super().unsafe_production_settings()
        if self.service_client_secret is None:
            problems.append("SERVICE_CLIENT_SECRET is required to call the other services")
        return problems
