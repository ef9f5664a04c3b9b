"""The correctness figures of every scenario, read from the stores and the SMTP sink.

Expected notifications are named by their dedupe keys (`booking_confirmed:<id>`,
`booking_cancelled:<id>`), each with the time its booking's answer reached the client, so the
lag of the in-app notification and of the email can be measured on one clock.
"""

import re
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
from pymongo import MongoClient

from tests.bench.load import percentile
from tests.bench.platform import Platform

NOTIFICATION_ID = re.compile(rb"^X-Notification-Id: *([0-9a-f]{24})\r?$", re.MULTILINE)


@dataclass
class Expected:
    """What the client saw happen: dedupe key -> time.time() of the answer."""

    notices: dict[str, float] = field(default_factory=dict)

    def confirmed(self, booking_id: str, at: float) -> None:
        self.notices[f"booking_confirmed:{booking_id}"] = at

    def cancelled(self, booking_id: str, at: float) -> None:
        self.notices[f"booking_cancelled:{booking_id}"] = at


@dataclass
class Correctness:
    oversold: int
    accounting_mismatches: int
    pending_left: int
    releases_owed: int
    notifications_missing: int
    notifications_duplicated: int
    emails_missing: int
    emails_duplicated: int
    events_checked: int
    notification_lag_p50_ms: float | None
    notification_lag_p99_ms: float | None
    email_lag_p50_ms: float | None
    email_lag_p99_ms: float | None
    delivery_drained_after_s: float

    @property
    def violations(self) -> int:
        return (
            self.oversold
            + self.accounting_mismatches
            + self.pending_left
            + self.releases_owed
            + self.notifications_missing
            + self.notifications_duplicated
            + self.emails_missing
            + self.emails_duplicated
        )

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "violations": self.violations}


class _Mailbox:
    """The sink's messages as (arrival time, notification id), read incrementally."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.seen: dict[str, tuple[float, str | None]] = {}

    def read(self) -> list[tuple[float, str | None]]:
        for path in self.directory.glob("*.eml"):
            if path.name not in self.seen:
                found = NOTIFICATION_ID.search(path.read_bytes())
                arrived = int(path.name.split("-", 1)[0]) / 1e9
                self.seen[path.name] = (arrived, found.group(1).decode() if found else None)
        return list(self.seen.values())


def _stored_notifications(platform: Platform) -> list[dict[str, Any]]:
    with MongoClient(platform.mongo_url, tz_aware=True) as mongo:
        collection = mongo[platform.notifications_db]["notifications"]
        return list(
            collection.find({"dedupe_key": {"$type": "string"}}, {"dedupe_key": 1, "created_at": 1})
        )


def _deliveries(
    platform: Platform, expected: Expected, mailbox: _Mailbox
) -> tuple[dict[str, list[datetime]], dict[str, list[float]]]:
    stored: dict[str, list[datetime]] = {}
    key_of: dict[str, str] = {}
    for document in _stored_notifications(platform):
        stored.setdefault(document["dedupe_key"], []).append(document["created_at"])
        key_of[str(document["_id"])] = document["dedupe_key"]
    mailed: dict[str, list[float]] = {}
    for arrived, notification_id in mailbox.read():
        key = key_of.get(notification_id or "")
        if key is not None:
            mailed.setdefault(key, []).append(arrived)
    return stored, mailed


@dataclass(frozen=True)
class _Accounting:
    oversold: int
    mismatches: int  # events whose counter disagrees with their confirmed bookings
    pending: int  # bookings still pending
    owed: int  # failed or cancelled bookings whose tickets recovery has yet to release
    events: int

    @property
    def settled(self) -> bool:
        return self.pending == 0 and self.owed == 0


def _confirmed_by_type(connection: psycopg.Connection[Any]) -> dict[str, dict[str, int]]:
    """Per event, the confirmed bookings' tickets per ticket type (`default` when none)."""
    held: dict[str, dict[str, int]] = {}
    rows = connection.execute(
        "SELECT event_id, tickets, items FROM bookings WHERE status = 'confirmed'"
    )
    for event_id, tickets, items in rows:
        kinds = held.setdefault(event_id, {})
        for item in items or [{"ticket_type_id": "default", "quantity": tickets}]:
            kinds[item["ticket_type_id"]] = kinds.get(item["ticket_type_id"], 0) + item["quantity"]
    return held


def _accounting(platform: Platform) -> _Accounting:
    with psycopg.connect(platform.bookings_database) as connection:
        confirmed = _confirmed_by_type(connection)
        row = connection.execute(
            "SELECT count(*) FILTER (WHERE status = 'pending'), "
            "count(*) FILTER (WHERE release_pending) FROM bookings"
        ).fetchone()
        pending, owed = row if row else (0, 0)
    with MongoClient(platform.mongo_url) as mongo:
        events = list(
            mongo[platform.events_db]["events"].find(
                {}, {"total_tickets": 1, "available_tickets": 1, "ticket_types": 1}
            )
        )
    oversold = mismatches = 0
    for event in events:
        held = confirmed.pop(str(event["_id"]), {})
        counters = [(event["total_tickets"], event["available_tickets"], sum(held.values()))]
        for type_id, kind in (event.get("ticket_types") or {}).items():
            counters.append((kind["total"], kind["available"], held.pop(type_id, 0)))
        oversold += sum(max(0, sold - total, -available) for total, available, sold in counters)
        wrong = any(total - available != sold for total, available, sold in counters)
        mismatches += wrong or any(held.values())  # tickets of types the event lacks
    mismatches += len(confirmed)  # bookings of events that do not exist
    return _Accounting(oversold, mismatches, pending, owed, len(events))


def check(platform: Platform, expected: Expected, *, wait_seconds: float) -> Correctness:
    """Wait up to `wait_seconds` for every expected notification and email, and for recovery to
    settle every booking (none pending, no tickets owed back), then count."""
    started = time.monotonic()
    mailbox = _Mailbox(platform.sink.directory)
    keys = set(expected.notices)
    while True:
        stored, mailed = _deliveries(platform, expected, mailbox)
        done = keys <= set(stored) and keys <= set(mailed) and _accounting(platform).settled
        if done or time.monotonic() - started > wait_seconds:
            break
        time.sleep(0.5)
    drained = time.monotonic() - started
    time.sleep(1)  # a second delivery of the same notice would show by now
    stored, mailed = _deliveries(platform, expected, mailbox)
    accounting = _accounting(platform)
    notification_lags = [
        max(0.0, created[0].timestamp() - expected.notices[key])
        for key, created in stored.items()
        if key in expected.notices
    ]
    email_lags = [
        max(0.0, min(arrivals) - expected.notices[key])
        for key, arrivals in mailed.items()
        if key in expected.notices
    ]
    return Correctness(
        oversold=accounting.oversold,
        accounting_mismatches=accounting.mismatches,
        pending_left=accounting.pending,
        releases_owed=accounting.owed,
        notifications_missing=len(keys - set(stored)),
        notifications_duplicated=sum(len(found) - 1 for found in stored.values()),
        emails_missing=len(keys - set(mailed)),
        emails_duplicated=sum(len(found) - 1 for found in mailed.values()),
        events_checked=accounting.events,
        notification_lag_p50_ms=percentile(notification_lags, 50),
        notification_lag_p99_ms=percentile(notification_lags, 99),
        email_lag_p50_ms=percentile(email_lags, 50),
        email_lag_p99_ms=percentile(email_lags, 99),
        delivery_drained_after_s=round(drained, 1),
    )
