"""The catalogue's directory: an in-memory index that answers `GET /events` without a scan.

A listing filters, counts and sorts the whole catalogue. A store without a text index cannot
answer a search by words from an index at all, and SecantusDB reads every event for any
listing (about a second of its one core at 10,000 events). The directory keeps, per event,
only what listings filter and sort on; a listing is worked out in memory, and only its page is
read from the store, by id.

It is loaded at startup and kept current by reading what changed since it last looked, every
`refresh_seconds` and, after a change made through this process (`mark_stale`), before the
next listing: so this process's own changes show at once, another replica's within
`refresh_seconds`. An indexed query finds the changes: events whose `updated_at` (set by every
write) is at most `OVERLAP` older than the previous look, for writes stamped a moment before
they landed. So whatever writes events must stamp `updated_at` when it writes; events put into
the store with older stamps (a restore), or a change a refresh missed, show at the next full
load, every `FULL_LOAD_EVERY` refreshes. (Ids are no help: SecantusDB answers a range of ids by
reading every event.)

A directory that has not looked for three refreshes' time (the store is down) answers no
listing: the listing waits for a refresh, and fails with the store, as without the directory.

A search finds events where every word appears, ignoring case, in the title, description or
venue: on every store the same.
"""

import asyncio
import bisect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bson import ObjectId

from event_service.models import Document, EventStore
from event_service.schemas import EventQuery
from service_kit.clock import utcnow_ms

OVERLAP = timedelta(seconds=5)
STALE_AFTER_REFRESHES = 3
# Every this many refreshes the directory reads every event again, so a change it missed (a
# write landing over OVERLAP after its stamp, a writer's clock far behind) is wrong for a minute
# at most at the default refresh period.
FULL_LOAD_EVERY = 60
FIELDS = {
    "starts_at": 1,
    "status": 1,
    "category": 1,
    "city": 1,
    "organizer_id": 1,
    "available_tickets": 1,
    "title": 1,
    "description": 1,
    "venue": 1,
}
Key = tuple[datetime, ObjectId]


@dataclass(frozen=True, slots=True)
class Entry:
    """What listings filter and sort on, for one event."""

    id: ObjectId
    starts_at: datetime
    status: str
    category: str | None
    city: str | None  # lower-cased
    organizer_id: str | None
    available: int
    text: str  # title, description and venue, lower-cased

    @classmethod
    def of(cls, document: Document) -> "Entry":
        words = (document.get(field) or "" for field in ("title", "description", "venue"))
        city = document.get("city")
        return cls(
            id=document["_id"],
            starts_at=document["starts_at"],
            status=document["status"],
            category=document.get("category"),
            city=city.lower() if city else None,
            organizer_id=document.get("organizer_id"),
            available=document.get("available_tickets", 0),
            text="\n".join(words).lower(),
        )

    @property
    def key(self) -> Key:
        return (self.starts_at, self.id)


def _conditions(
    query: EventQuery, now: datetime
) -> tuple[datetime | None, list[Callable[[Entry], bool]]]:
    """The lowest start to look from (exclusive), and the tests an entry must pass."""
    # The likeliest to rule an entry out first: each test runs on what the ones before kept.
    tests: list[Callable[[Entry], bool]] = []
    if query.category is not None:
        category = query.category.value
        tests.append(lambda entry: entry.category == category)
    if query.city is not None:
        city = query.city.lower()
        tests.append(lambda entry: entry.city == city)
    if query.organizer_id is not None:
        organizer = query.organizer_id
        tests.append(lambda entry: entry.organizer_id == organizer)
    tests.extend(_mentions(word) for word in (query.q or "").lower().split())
    if query.starts_before is not None:
        before = query.starts_before
        tests.append(lambda entry: entry.starts_at < before)
    if query.available_only:
        tests.append(lambda entry: entry.available > 0)
    status = query.status.value
    tests.append(lambda entry: entry.status == status)
    return query.starts_after_bound(now), tests


def _mentions(word: str) -> Callable[[Entry], bool]:
    return lambda entry: word in entry.text


class Directory:
    def __init__(self, store: EventStore, *, refresh_seconds: float) -> None:
        self.store = store
        # A listing is never answered from a directory this old: while the store cannot be
        # reached, listings fail (503) as they would without the directory.
        self.stale_after = timedelta(seconds=STALE_AFTER_REFRESHES * refresh_seconds)
        self._entries: dict[ObjectId, Entry] = {}
        self._order: list[Key] = []  # every entry's key, in start order
        self._sorted: list[Entry] = []  # the entries, in the same order
        # When the last refresh or load began; None until the first load.
        self._looked_at: datetime | None = None
        self._wanted = 0  # changes made through this process, counted
        self._have = 0  # of those, how many the last refresh had seen
        self._refreshing = asyncio.Lock()
        self._attempts = 0  # refreshes tried
        self._failure: Exception | None = None  # why the last one failed

    async def load(self) -> None:
        """Read every event."""
        looked_at = utcnow_ms()
        entries: dict[ObjectId, Entry] = {}
        async for document in self.store.events.find({}, FIELDS):
            entries[document["_id"]] = Entry.of(document)
        self._entries = entries
        self._sorted = sorted(entries.values(), key=lambda entry: entry.key)
        self._order = [entry.key for entry in self._sorted]
        self._looked_at = looked_at

    async def refresh(self, wanted: int = -1) -> None:
        """Take in the events changed since the last look.

        With `wanted`, only if no refresh since has seen that many of this process's changes.
        Callers that queued behind a refresh that failed fail with it, rather than each trying
        again in turn while the store is down.
        """
        seen = self._attempts
        async with self._refreshing:
            if self._have >= wanted >= 0:
                return
            if self._attempts != seen:  # another refresh ran while this one waited
                if self._failure is not None:
                    raise self._failure
                if wanted < 0:
                    return
            self._attempts += 1
            started = self._wanted
            try:
                await self._refresh()
            except Exception as exc:
                self._failure = exc
                raise
            self._failure = None
            self._have = max(self._have, started)

    def mark_stale(self) -> None:
        """A change was made through this process: the next listing refreshes first."""
        self._wanted += 1

    async def list_events(self, query: EventQuery) -> tuple[list[Document], int]:
        """The page of events `query` asks for, soonest first, and how many match in all."""
        if self._looked_at is None or utcnow_ms() - self._looked_at > self.stale_after:
            await self.refresh()
        elif self._have < self._wanted:
            await self.refresh(self._wanted)
        ids, total = self.find(query, utcnow_ms())
        if not ids:
            return [], total
        found = {
            document["_id"]: document
            async for document in self.store.events.find({"_id": {"$in": ids}})
        }
        return [found[event_id] for event_id in ids if event_id in found], total

    def find(self, query: EventQuery, now: datetime) -> tuple[list[ObjectId], int]:
        """The ids of the page `query` asks for, and the number of matches."""
        after, tests = _conditions(query, now)
        start = bisect.bisect_right(self._order, (after, _MAX_ID)) if after is not None else 0
        matches = self._sorted[start:]
        for test in tests:
            matches = list(filter(test, matches))
        page = matches[query.offset : query.offset + query.limit]
        return [entry.id for entry in page], len(matches)

    async def _refresh(self) -> None:
        if self._looked_at is None or self._attempts % FULL_LOAD_EVERY == 0:
            await self.load()
            return
        looked_at = utcnow_ms()
        changed = self.store.events.find(
            {"updated_at": {"$gte": self._looked_at - OVERLAP}}, FIELDS
        )
        async for document in changed:
            self._put(Entry.of(document))
        self._looked_at = looked_at

    def _put(self, entry: Entry) -> None:
        old = self._entries.get(entry.id)
        self._entries[entry.id] = entry
        if old is not None:
            at = bisect.bisect_left(self._order, old.key)
            if old.key == entry.key:
                self._sorted[at] = entry
                return
            del self._order[at]
            del self._sorted[at]
        at = bisect.bisect_left(self._order, entry.key)
        self._order.insert(at, entry.key)
        self._sorted.insert(at, entry)


_MAX_ID = ObjectId("f" * 24)
