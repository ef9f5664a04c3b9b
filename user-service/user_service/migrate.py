"""`python -m user_service.migrate`: apply the migrations to the configured database, then exit.

What the Kubernetes migration Job runs, once per release, when AUTO_MIGRATE is off.
"""

import asyncio

from service_kit.sql import migrate_database
from user_service.config import UserSettings
from user_service.main import MIGRATIONS

if __name__ == "__main__":
    asyncio.run(migrate_database(UserSettings().database_url, script_location=MIGRATIONS))
