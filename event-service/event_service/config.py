from pydantic import Field

from service_kit.settings import MongoServiceSettings


class EventSettings(MongoServiceSettings):
    service_name: str = "event-service"
    event_mongo_db: str = Field(default="events", description="Database of event-service.")
    repair_interval_seconds: float = Field(
        default=30, gt=0, description="How often unfinished ticket changes are settled."
    )
    repair_grace_seconds: float = Field(
        default=30,
        gt=0,
        description="A ticket change pending longer than this is taken as interrupted.",
    )

    listing_cache_seconds: float = Field(
        default=1,
        ge=0,
        le=5,
        description="How long an answer of GET /events is reused: changes made through this "
        "process show at once, others (another replica) within this time (0: never reuse).",
    )

    catalogue_directory: bool = Field(
        default=True,
        description="Answer GET /events from an in-memory index of the catalogue (reading "
        "only the page from MongoDB); off: every listing is a query of the store.",
    )
    catalogue_refresh_seconds: float = Field(
        default=1,
        gt=0,
        le=60,
        description="How often the in-memory index reads the events changed meanwhile: "
        "changes made through another replica show in listings within this time.",
    )

    token_version_cache_seconds: float = Field(
        default=2,
        ge=0,
        description="How long a person's token version from user-service is trusted: a role "
        "or password change reaches event-service within this time (0: ask on every write).",
    )

    @property
    def token_url(self) -> str:
        return f"{self.user_service_url}/token"

    def unsafe_production_settings(self) -> list[str]:
        problems = super().unsafe_production_settings()
        if self.mongo_url.startswith("mongodb://localhost"):
            problems.append("MONGO_URL points at localhost; set the production MongoDB")
        if self.service_client_secret is None:
            problems.append("SERVICE_CLIENT_SECRET is required to check tokens at user-service")
        return problems
