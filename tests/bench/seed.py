"""Big data written straight into the stores (the API would take minutes to create it).

Documents and rows have the shape the services write; the events are spread over categories,
cities and dates, with titles made of a small vocabulary so searches match some of them.
"""

import io
import random
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import psycopg
from bson import Decimal128, ObjectId
from pymongo import MongoClient

from event_service.models import legacy_types
from tests.bench.platform import Platform

CATEGORIES = ["concert", "conference", "sports", "theatre", "workshop", "other"]
CITIES = ["Lisbon", "Porto", "Berlin", "Paris", "Madrid", "Rome", "Vienna", "Oslo"]
WORDS = [
    "jazz",
    "rock",
    "python",
    "data",
    "opera",
    "ballet",
    "football",
    "chess",
    "poetry",
    "cinema",
    "robots",
    "garden",
    "wine",
    "history",
    "science",
    "comedy",
]
BATCH = 2000
TOUCH_BATCH = 200


def _event(draw: random.Random, now: datetime, tickets: int) -> dict[str, Any]:
    starts_at = now + timedelta(days=draw.randint(1, 365), minutes=draw.randint(0, 1439))
    title = " ".join(draw.sample(WORDS, 3)).title()
    event: dict[str, Any] = {
        "_id": ObjectId(),
        "title": title,
        "description": f"An evening of {' and '.join(draw.sample(WORDS, 2))}.",
        "venue": f"{draw.choice(['Hall', 'Arena', 'Club', 'Theatre'])} {draw.randint(1, 99)}",
        "city": draw.choice(CITIES),
        "category": draw.choice(CATEGORIES),
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=3),
        "timezone": "UTC",
        "total_tickets": tickets,
        "available_tickets": tickets,
        "price": Decimal128(Decimal(draw.randint(0, 20000)) / 100),
        "currency": "EUR",
        "organizer_id": "bench-organizer",
        "status": "scheduled",
        "created_at": now,
        "updated_at": now,
        "pending_ops": [],
    }
    event["ticket_types"] = legacy_types(event)  # one `default` type, as create_event makes
    return event


def seed_events(platform: Platform, count: int, *, tickets: int = 100, seed: int = 3) -> list[str]:
    """Insert `count` events; returns their ids once event-service lists every one of them."""
    draw = random.Random(seed + count)
    now = datetime.now(UTC).replace(microsecond=0)
    ids: list[str] = []
    with MongoClient(platform.mongo_url) as mongo:
        events = mongo[platform.events_db]["events"]
        for start in range(0, count, BATCH):
            batch = [_event(draw, now, tickets) for _ in range(min(BATCH, count - start))]
            events.insert_many(batch, ordered=False)
            ids += [str(document["_id"]) for document in batch]
        # Stamped as written, as the services do: event-service's directory finds the events
        # changed since it last looked by `updated_at`, so a stamp must not be seconds older
        # than its write. Small batches land within moments of their stamp.
        for start in range(0, len(ids), TOUCH_BATCH):
            touched = [ObjectId(event_id) for event_id in ids[start : start + TOUCH_BATCH]]
            events.update_many(
                {"_id": {"$in": touched}}, {"$set": {"updated_at": datetime.now(UTC)}}
            )
        upcoming = events.count_documents({"status": "scheduled", "starts_at": {"$gt": now}})
    _until_listed(platform, upcoming)
    return ids


def _until_listed(platform: Platform, upcoming: int, *, within: float = 180) -> None:
    """Wait until `GET /events` counts `upcoming` events (its directory has read the seed)."""
    deadline = time.monotonic() + within
    while True:
        response = httpx.get(f"{platform.events}/events", params={"limit": 1}, timeout=30)
        listed = int(response.headers.get("X-Total-Count", -1))
        if listed >= upcoming:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"event-service lists {listed} of {upcoming} seeded events")
        time.sleep(0.5)


def seed_bookings(platform: Platform, count: int, *, user_id: uuid.UUID | None = None) -> None:
    """`count` cancelled bookings (so no event's accounting changes), of `user_id` or of
    random users, as booking-service stores them, copied in one statement."""
    now = datetime.now(UTC)
    rows = io.StringIO()
    for index in range(count):
        owner = user_id or uuid.uuid4()
        created = now - timedelta(seconds=count - index)
        rows.write(
            f"{uuid.uuid4()}\t{owner}\tseeded@example.com\t{ObjectId()}\tSeeded\t"
            f"{created.isoformat()}\tUTC\tHall\tLisbon\t25.00\tEUR\t1\t25.00\tcancelled\t"
            f"f\tbench-seed\t{created.isoformat()}\t{created.isoformat()}\n"
        )
    columns = (
        "id, user_id, user_email, event_id, event_title, event_starts_at, event_timezone, "
        "event_venue, event_city, unit_price, currency, tickets, total_price, status, "
        "release_pending, created_by, created_at, updated_at"
    )
    with (
        psycopg.connect(platform.bookings_database) as connection,
        connection.cursor() as cursor,
        cursor.copy(f"COPY bookings ({columns}) FROM STDIN") as copy,
    ):
        copy.write(rows.getvalue())
