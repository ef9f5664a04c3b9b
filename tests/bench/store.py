"""What the MongoDB-compatible store served during a load, from its `serverStatus` counters.

SecantusDB (like mongod) counts every request it answered and, per kind, the operations; the
difference over a load, per confirmed booking, says how many round trips a booking costs the store.
"""

from typing import Any

from pymongo import MongoClient

KINDS = ("insert", "query", "update", "delete", "getmore", "command")


def counters(mongo_url: str) -> dict[str, int]:
    """The store's request and operation counts so far."""
    client: MongoClient[dict[str, Any]] = MongoClient(mongo_url, serverSelectionTimeoutMS=5000)
    try:
        status = client.admin.command("serverStatus")
    finally:
        client.close()
    counts = {kind: int(status["opcounters"].get(kind, 0)) for kind in KINDS}
    counts["requests"] = int(status.get("network", {}).get("numRequests", 0))
    return counts


def per_booking(before: dict[str, int], after: dict[str, int], bookings: int) -> dict[str, float]:
    """Each count's growth between two readings, per booking (the readings' own call excluded)."""
    if not bookings:
        return {}
    grown = {kind: after[kind] - before.get(kind, 0) for kind in after}
    grown["command"] -= 1  # the second reading's serverStatus
    grown["requests"] -= 1
    return {kind: round(count / bookings, 2) for kind, count in grown.items() if count > 0}
