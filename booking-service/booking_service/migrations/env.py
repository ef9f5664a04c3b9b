"""Alembic environment of booking-service (see service_kit.sql.run_alembic_env)."""

from booking_service.config import BookingSettings
from booking_service.models import Base
from service_kit.sql import run_alembic_env

run_alembic_env(
    target_metadata=Base.metadata,
    database_url=lambda: BookingSettings().booking_database_url,
)
