"""Settling ticket changes that a crash interrupted, at startup and periodically.

Safe on every replica at once: each step is a conditional update that only one caller wins.

- A marker `{entry, attempt}` in an event's `pending_ops` whose entry is still pending under that
  attempt after the grace period: the counter moved, so the change is completed (`applied`).
- A marker whose entry is applied under that attempt: only the clean-up was missed.
- A marker whose entry was aborted under that same attempt: the counter change landed after the
  abort, so it is completed (undoing a late release could take back tickets sold since).
- A marker whose entry is held by another attempt, or rejected (refused, or barred by a release
  that came first: a tombstone): that attempt must not stand, so its counter change is undone.
- An entry pending longer than the grace period with no marker: its counter never moved; it is
  `aborted`, and the next replay of the change takes it over.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from event_service.models import Document, EventStore, LedgerState
from event_service.service.ledger import complete_aborted, undo_attempt
from service_kit.clock import utcnow_ms
from service_kit.loops import run_periodically

logger = logging.getLogger(__name__)


@dataclass
class RepairReport:
    completed: int = 0
    undone: int = 0
    aborted: int = 0
    cleaned: int = 0

    @property
    def changed(self) -> int:
        return self.completed + self.undone + self.aborted + self.cleaned


async def _settle_marker(
    store: EventStore,
    event: Document,
    marker: Document,
    grace: timedelta,
    report: RepairReport,
) -> None:
    attempt = marker["attempt"]
    entry = await store.ledger.find_one({"_id": marker["entry"]})
    if entry is None:
        logger.error("event %s records an unknown ticket change %s", event["_id"], marker)
        return
    ours = entry["attempt"] == attempt
    if ours and entry["state"] == LedgerState.PENDING:
        if utcnow_ms() - entry["attempt_at"] < grace:
            return  # in flight
        completed = await store.ledger.update_one(
            {"_id": entry["_id"], "state": LedgerState.PENDING, "attempt": attempt},
            {"$set": {"state": LedgerState.APPLIED, "updated_at": utcnow_ms()}},
        )
        report.completed += completed.modified_count
        entry = await store.ledger.find_one({"_id": entry["_id"]}) or entry
    if ours and entry["state"] == LedgerState.ABORTED:
        report.completed += await complete_aborted(
            store=store, entry_id=entry["_id"], attempt=attempt
        )
        entry = await store.ledger.find_one({"_id": entry["_id"]}) or entry
    if entry["attempt"] == attempt and entry["state"] == LedgerState.APPLIED:
        cleaned = await store.events.update_one(
            {"_id": event["_id"]}, {"$pull": {"pending_ops": {"attempt": attempt}}}
        )
        report.cleaned += cleaned.modified_count
        return
    if entry["attempt"] == attempt and entry["state"] == LedgerState.PENDING:
        return
    await undo_attempt(store=store, entry=entry, attempt=attempt)
    report.undone += 1


async def repair_ticket_ledger(*, store: EventStore, grace: timedelta) -> RepairReport:
    """Finish or undo every ticket change left half-done longer than `grace` ago."""
    report = RepairReport()
    async for event in store.events.find({"pending_ops.0": {"$exists": True}}):
        for marker in list(event["pending_ops"]):
            await _settle_marker(store, event, marker, grace, report)

    cutoff = utcnow_ms() - grace
    stale = {"state": LedgerState.PENDING, "attempt_at": {"$lt": cutoff}}
    async for entry in store.ledger.find(stale):
        marked = await store.events.find_one(
            {"_id": entry["event_id"], "pending_ops.attempt": entry["attempt"]}, {"_id": 1}
        )
        if marked is not None:
            continue  # the counter moved: the first pass completes it next time round
        aborted = await store.ledger.update_one(
            {"_id": entry["_id"], "attempt": entry["attempt"], **stale},
            {"$set": {"state": LedgerState.ABORTED, "updated_at": utcnow_ms()}},
        )
        report.aborted += aborted.modified_count
    if report.changed:
        logger.warning(
            "ticket ledger repaired: %d completed, %d undone, %d aborted, %d cleaned",
            report.completed,
            report.undone,
            report.aborted,
            report.cleaned,
        )
    return report


async def run_repair_loop(*, store: EventStore, grace: timedelta, interval: float) -> None:
    async def repair() -> None:
        await repair_ticket_ledger(store=store, grace=grace)

    await run_periodically(repair, interval=interval, name="ticket ledger repair")
