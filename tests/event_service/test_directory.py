"""The catalogue's directory answers listings as the store's own query does, and keeps current."""

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from bson import ObjectId

from event_service.models import Document, EventStore
from event_service.schemas import EventCategory, EventQuery, EventStatus
from event_service.service import catalogue
from event_service.service.directory import FULL_LOAD_EVERY, Directory
from service_kit.clock import utcnow_ms

WORDS = ["jazz", "Rock", "chess", "poetry", "cinéma", "robots", "garden", "ÉTÉ"]
CITIES = ["Paris", "paris", "Berlin", "São Paulo", "Lisbon"]
CATEGORIES = [category.value for category in EventCategory]


def _stored_event(draw: random.Random, now: datetime, **overrides: Any) -> Document:
    """An event as the store holds it, written straight in (as another replica would)."""
    starts_at = now + timedelta(days=draw.randint(-20, 60), minutes=draw.randint(0, 1439))
    total = draw.randint(0, 5)
    document: Document = {
        "_id": ObjectId(),
        "title": " ".join(draw.sample(WORDS, 2)),
        "description": f"An evening of {draw.choice(WORDS)}.",
        "venue": f"Hall {draw.randint(1, 9)}",
        "city": draw.choice(CITIES),
        "category": draw.choice(CATEGORIES),
        "starts_at": starts_at,
        "timezone": "UTC",
        "total_tickets": total,
        "available_tickets": draw.randint(0, total),
        "currency": "EUR",
        "organizer_id": draw.choice(["alice", "bob"]),
        "status": draw.choice(["scheduled", "scheduled", "scheduled", "cancelled"]),
        "created_at": now,
        "updated_at": now,
        "pending_ops": [],
    }
    document.update(overrides)
    return document


def _random_query(draw: random.Random, now: datetime) -> EventQuery:
    values: dict[str, Any] = {"limit": draw.choice([1, 5, 20, 100]), "offset": draw.randint(0, 30)}
    if draw.random() < 0.4:
        values["q"] = " ".join(draw.sample(WORDS, draw.randint(1, 2))).upper()
    if draw.random() < 0.3:
        values["category"] = draw.choice(CATEGORIES)
    if draw.random() < 0.3:
        values["city"] = draw.choice(CITIES).lower()
    if draw.random() < 0.3:
        values["starts_after"] = now + timedelta(days=draw.randint(-30, 40))
    if draw.random() < 0.3:
        values["starts_before"] = now + timedelta(days=draw.randint(-10, 70))
    if draw.random() < 0.3:
        values["available_only"] = True
    if draw.random() < 0.2:
        values["organizer_id"] = draw.choice(["alice", "bob", "carol"])
    if draw.random() < 0.2:
        values["include_past"] = True
    if draw.random() < 0.2:
        values["status"] = EventStatus.CANCELLED
    return EventQuery(**values)


async def _directory_over(store: EventStore, *events: Document) -> Directory:
    """A directory loaded from the store once `events` are in it."""
    await store.events.insert_many(list(events))
    # Stale only after 3 minutes: the tests refresh it themselves.
    directory = Directory(store, refresh_seconds=60)
    await directory.load()
    return directory


@pytest.fixture
async def store(isolated_event_store: EventStore) -> EventStore:
    return isolated_event_store


async def test_every_listing_matches_the_stores_own_query(store: EventStore) -> None:
    draw = random.Random(7)
    now = utcnow_ms()
    directory = await _directory_over(store, *(_stored_event(draw, now) for _ in range(300)))

    pages = 0
    for _ in range(150):
        query = _random_query(draw, now)
        expected, expected_total = await catalogue.list_events(store=store, query=query)
        listed, total = await directory.list_events(query)
        assert total == expected_total, query
        assert [document["_id"] for document in listed] == [
            document["_id"] for document in expected
        ], query
        pages += bool(listed)
    assert pages >= 50  # the queries found something, not only empty pages


async def test_changes_written_elsewhere_show_after_a_refresh(store: EventStore) -> None:
    draw = random.Random(11)
    now = utcnow_ms()
    kept = _stored_event(draw, now, status="scheduled", starts_at=now + timedelta(days=3))
    directory = await _directory_over(store, kept)
    everything = EventQuery(limit=100)
    assert (await directory.list_events(everything))[1] == 1

    # Another replica: a new event, and the first one sold out and renamed.
    added = _stored_event(draw, now, status="scheduled", starts_at=now + timedelta(days=1))
    await store.events.insert_one(added)
    await store.events.update_one(
        {"_id": kept["_id"]},
        {"$set": {"available_tickets": 0, "title": "renamed", "updated_at": utcnow_ms()}},
    )
    # An event put into the store with an old stamp (a restore): seen only by a full load.
    old = datetime(2020, 1, 1, tzinfo=UTC)
    restored = _stored_event(
        draw, now, status="scheduled", starts_at=now + timedelta(days=2), updated_at=old
    )
    await store.events.insert_one(restored)
    assert (await directory.list_events(everything))[1] == 1  # not looked yet

    await directory.refresh()

    listed, total = await directory.list_events(everything)
    assert [document["_id"] for document in listed] == [added["_id"], kept["_id"]]
    assert total == 2
    available, _ = await directory.list_events(EventQuery(available_only=True, limit=100))
    assert kept["_id"] not in [document["_id"] for document in available]
    renamed, _ = await directory.list_events(EventQuery(q="RENAMED"))
    assert [document["_id"] for document in renamed] == [kept["_id"]]
    await directory.load()  # a restart
    assert (await directory.list_events(everything))[1] == 3


async def test_a_change_made_through_this_process_shows_in_the_next_listing(
    store: EventStore,
) -> None:
    draw = random.Random(13)
    now = utcnow_ms()
    event = _stored_event(
        draw, now, status="scheduled", starts_at=now + timedelta(days=5), available_tickets=2
    )
    directory = await _directory_over(store, event)
    available = EventQuery(available_only=True, limit=100)
    assert (await directory.list_events(available))[1] == 1

    await store.events.update_one(
        {"_id": event["_id"]}, {"$set": {"available_tickets": 0, "updated_at": utcnow_ms()}}
    )
    directory.mark_stale()

    assert (await directory.list_events(available))[1] == 0


async def test_a_change_the_refreshes_missed_shows_at_the_next_full_load(store: EventStore) -> None:
    draw = random.Random(17)
    now = utcnow_ms()
    event = _stored_event(draw, now, status="scheduled", starts_at=now + timedelta(days=4))
    directory = await _directory_over(store, event)
    # A write that landed long after its stamp: no refresh's window reaches back to it.
    await store.events.update_one(
        {"_id": event["_id"]},
        {"$set": {"title": "late write", "updated_at": now - timedelta(minutes=1)}},
    )
    late = EventQuery(q="late write")

    for _ in range(FULL_LOAD_EVERY - 1):
        await directory.refresh()
    assert (await directory.list_events(late))[1] == 0
    await directory.refresh()

    assert (await directory.list_events(late))[1] == 1
