"""`python -m booking_service.migrate`: apply the migrations to the configured database, then exit.

What the Kubernetes migration Job runs, once per release, when AUTO_MIGRATE is off.
"""

import asyncio

from booking_service.config import BookingSettings
from booking_service.main import MIGRATIONS
from service_kit.sql import migrate_database

if __name__ == "__main__":
    asyncio.run(migrate_database(BookingSettings().database_url, script_location=MIGRATIONS))
