"""Settling ticket changes that a crash interrupted, at startup and periodically.

Safe on every replica at once: each step is a conditional update that only one caller wins.
"""

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import timedelta

from event_service.models import ABORTED, APPLIED, PENDING, Document, EventStore
from event_service.service.catalogue import now_utc
from event_service.service.inventory import undo_applied

logger = logging.getLogger(__name__)


@dataclass
class RepairReport:
    completed: int = 0
    undone: int = 0
    aborted: int = 0
    cleaned: int = 0
    details: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.completed + self.undone + self.aborted + self.cleaned


async def _settle_recorded_op(
    store: EventStore, event: Document, op_id: object, grace: timedelta, report: RepairReport
) -> None:
    entry = await store.ledger.find_one({"_id": op_id})
    if entry is not None and entry["state"] == PENDING:
        if now_utc() - entry["updated_at"] < grace:
            return  # in flight
        completed = await store.ledger.update_one(
            {"_id": op_id, "state": PENDING},
            {"$set": {"state": APPLIED, "updated_at": now_utc()}},
        )
        report.completed += completed.modified_count
        entry = await store.ledger.find_one({"_id": op_id})
    if entry is not None and entry["state"] == APPLIED:
        result = await store.events.update_one(
            {"_id": event["_id"]}, {"$pull": {"pending_ops": op_id}}
        )
        report.cleaned += result.modified_count
        return
    if entry is None:
        logger.error("event %s records unknown ticket change %s; leaving it", event["_id"], op_id)
        return
    await undo_applied(store=store, entry=entry)
    report.undone += 1


async def repair_ticket_ledger(*, store: EventStore, grace: timedelta) -> RepairReport:
    """Finish or undo every ticket change left half-done longer than `grace` ago."""
    report = RepairReport()
    async for event in store.events.find({"pending_ops.0": {"$exists": True}}):
        for op_id in list(event["pending_ops"]):
            await _settle_recorded_op(store, event, op_id, grace, report)

    cutoff = now_utc() - grace
    async for entry in store.ledger.find({"state": PENDING, "updated_at": {"$lt": cutoff}}):
        recorded = await store.events.find_one(
            {"_id": entry["event_id"], "pending_ops": entry["_id"]}, {"_id": 1}
        )
        if recorded is not None:
            continue  # applied: the first pass completes it next time round
        aborted = await store.ledger.update_one(
            {"_id": entry["_id"], "state": PENDING, "updated_at": {"$lt": cutoff}},
            {"$set": {"state": ABORTED, "updated_at": now_utc()}},
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
    while True:
        try:
            await repair_ticket_ledger(store=store, grace=grace)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("ticket ledger repair failed; retrying in %.0fs", interval)
        await asyncio.sleep(interval)
