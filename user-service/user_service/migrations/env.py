"""Alembic environment of user-service (see service_kit.sql.run_alembic_env)."""

from service_kit.sql import run_alembic_env
from user_service.config import UserSettings
from user_service.models import Base

run_alembic_env(
    target_metadata=Base.metadata,
    database_url=lambda: UserSettings().user_database_url,
)
