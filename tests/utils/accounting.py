"""The accounting check after a rush, read from the stores themselves.

Once the background work has settled (recovery, outbox relay, email worker): for every event,
`total - available` equals the tickets of its confirmed bookings and the ticket ledger agrees;
no booking is left `pending`; no tickets are held for a booking that is not confirmed; every
booking confirmation and cancellation is one notification and one email, exactly.
"""

import asyncio
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import psycopg
from pymongo import AsyncMongoClient

from tests.utils.live_platform import LivePlatform
from tests.utils.rush import RushOutcome

Document = dict[str, Any]


@dataclass(frozen=True)
class BookingRow:
    id: str
    event_id: str
    status: str
    tickets: int
    release_pending: bool
    failure: dict[str, Any] | None


@dataclass(frozen=True)
class Snapshot:
    bookings: list[BookingRow]
    outbox: Counter[str]  # status -> messages
    outbox_retries: int  # delivery attempts beyond the first, over all messages
    events: list[Document]
    ledger: list[Document]
    notifications: list[Document]
    emails: Counter[str]  # X-Notification-Id -> messages

    def unsettled(self) -> list[str]:
        """What background work still has to do; empty once everything settled."""
        left = []
        pending = [b for b in self.bookings if b.status == "pending"]
        owed = [b for b in self.bookings if b.release_pending]
        if pending:
            left.append(f"{len(pending)} bookings pending")
        if owed:
            left.append(f"{len(owed)} bookings still owe a release")
        if self.outbox["pending"]:
            left.append(f"{self.outbox['pending']} outbox messages pending")
        if any(event["pending_ops"] for event in self.events):
            left.append("ticket changes in progress at event-service")
        queued = [n for n in self.notifications if n["email_status"] == "queued"]
        if queued:
            left.append(f"{len(queued)} emails queued")
        if len(self.emails) < len(self.notifications):
            left.append(f"{len(self.notifications) - len(self.emails)} emails not received")
        return left


async def take_snapshot(platform: LivePlatform) -> Snapshot:
    async with await psycopg.AsyncConnection.connect(platform.booking_database_url) as sql:
        bookings = await (
            await sql.execute(
                "SELECT id::text, event_id, status, tickets, release_pending, failure FROM bookings"
            )
        ).fetchall()
        outbox = await (
            await sql.execute(
                "SELECT status, count(*), sum(greatest(attempts - 1, 0)) "
                "FROM outbox_messages GROUP BY status"
            )
        ).fetchall()
    client: AsyncMongoClient[Document] = AsyncMongoClient(
        platform.mongo.url, serverSelectionTimeoutMS=5000
    )
    try:
        events_db = client[platform.events_database]
        events = await events_db["events"].find().to_list()
        ledger = await events_db["ticket_ledger"].find().to_list()
        notifications = (
            await client[platform.notifications_database]["notifications"].find().to_list()
        )
    finally:
        await client.close()
    emails = Counter(str(message["X-Notification-Id"]) for message in platform.sink.messages())
    return Snapshot(
        bookings=[BookingRow(*row) for row in bookings],
        outbox=Counter({status: count for status, count, _ in outbox}),
        outbox_retries=sum(int(retries or 0) for _, _, retries in outbox),
        events=events,
        ledger=ledger,
        notifications=notifications,
        emails=emails,
    )


async def settled_snapshot(platform: LivePlatform, *, within: float = 90.0) -> Snapshot:
    """The stores once the background work has nothing left to do (fail after `within`)."""
    deadline = time.monotonic() + within
    while True:
        snapshot = await take_snapshot(platform)
        left = snapshot.unsettled()
        if not left:
            # Anything sent twice would arrive within the email worker's next polls.
            await asyncio.sleep(1.5)
            return await take_snapshot(platform)
        if time.monotonic() > deadline:
            raise AssertionError(f"not settled within {within}s: {'; '.join(left)}")
        await asyncio.sleep(0.5)


def assert_accounting(snapshot: Snapshot, *outcomes: RushOutcome) -> None:
    """The check every outage test ends with (see the module's docstring)."""
    assert snapshot.unsettled() == [], snapshot.unsettled()
    by_id = {booking.id: booking.status for booking in snapshot.bookings}
    confirmed: Counter[str] = Counter()
    for booking in snapshot.bookings:
        if booking.status == "confirmed":
            confirmed[booking.event_id] += booking.tickets
    mismatched = _bookings_not_matching_the_ledger(snapshot)
    for event in snapshot.events:
        event_id = str(event["_id"])
        sold = event["total_tickets"] - event["available_tickets"]
        assert sold == confirmed[event_id], (sold, confirmed[event_id], mismatched)
    assert mismatched == {}, mismatched
    assert snapshot.outbox["dead"] == 0, snapshot.outbox

    # What the buyers were told is what the stores hold.
    for outcome in outcomes:
        assert outcome.unexpected == [], outcome.unexpected
        for booking_id in outcome.confirmed:
            assert by_id[booking_id] in {"confirmed", "cancelled"}, booking_id
        for booking_id in outcome.cancelled:
            assert by_id[booking_id] == "cancelled", booking_id

    expected = Counter(
        f"booking_confirmed:{booking.id}"
        for booking in snapshot.bookings
        if booking.status in {"confirmed", "cancelled"}
    )
    expected.update(
        f"booking_cancelled:{booking.id}"
        for booking in snapshot.bookings
        if booking.status == "cancelled"
    )
    stored = Counter(note["dedupe_key"] for note in snapshot.notifications)
    assert all(count == 1 for count in stored.values()), stored.most_common(3)
    # Besides these, only a failed booking may have told its buyer (once).
    failed = {booking.id for booking in snapshot.bookings if booking.status == "failed"}
    others = set(stored) - set(expected)
    assert {key.partition(":")[2] for key in others} <= failed, others
    missing = set(expected) - set(stored)
    assert not missing, f"{len(missing)} notifications missing, e.g. {sorted(missing)[:3]}"
    unsent = Counter(note["email_status"] for note in snapshot.notifications)
    assert set(unsent) <= {"sent"}, unsent
    twice = {key: n for key, n in snapshot.emails.items() if n != 1}
    assert not twice, f"emails sent more than once: {twice}"
    assert set(snapshot.emails) == {str(note["_id"]) for note in snapshot.notifications}


def _bookings_not_matching_the_ledger(snapshot: Snapshot) -> dict[str, str]:
    """Bookings whose tickets held in the ledger (applied reservations less applied releases)
    differ from what their status holds, each described."""
    held: Counter[str] = Counter()
    for entry in snapshot.ledger:
        if entry["state"] == "applied":
            sign = 1 if entry["direction"] == "reserve" else -1
            held[entry["reference"]] += sign * entry["quantity"]
    mismatched = {}
    for booking in snapshot.bookings:
        holds = booking.tickets if booking.status == "confirmed" else 0
        in_ledger = held.pop(booking.id, 0)
        if in_ledger != holds:
            mismatched[booking.id] = (
                f"{booking.status} (failure: {booking.failure}) should hold {holds} tickets, "
                f"holds {in_ledger}"
            )
    for reference, quantity in held.items():
        if quantity:
            mismatched[reference] = f"unknown to booking-service, holds {quantity} tickets"
    return mismatched
