"""Print a scenario's figures as a table and keep them as JSON in `tests/bench/results/`."""

import json
import os
import platform as host
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
REQUIRED = (
    "bookings_per_s",
    "booking_ceiling_per_s",
    "ratio_to_ceiling",
    "p50_ms",
    "p99_ms",
    "oversold",
    "accounting_mismatches",
    "pending_left",
    "notifications_missing",
    "emails_missing",
)


def machine() -> dict[str, Any]:
    """What the figures were measured on, and how busy it was (others share these cores)."""
    return {
        "cpus": os.cpu_count(),
        "load_average": [round(load, 2) for load in os.getloadavg()],
        "python": host.python_version(),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def show(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, dict):
        return ", ".join(f"{key} {show(item)}" for key, item in value.items())
    return f"{value:,}" if isinstance(value, int) else str(value)


def print_table(title: str, header: list[str], rows: list[list[Any]]) -> None:
    cells = [header, *[[show(value) for value in row] for row in rows]]
    widths = [max(len(row[column]) for row in cells) for column in range(len(header))]
    print(f"\n{title}")
    for index, row in enumerate(cells):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if index == 0:
            print("  ".join("-" * width for width in widths))


def ratio(bookings_per_s: float | None, ceiling: float | None) -> float | None:
    if not bookings_per_s or not ceiling:
        return None
    return round(bookings_per_s / ceiling, 2)


def save(scenario: str, figures: dict[str, Any]) -> Path:
    """Write `results/<scenario>.json` (every REQUIRED key present, None where not measured)."""
    missing = [key for key in REQUIRED if key not in figures]
    if missing:
        raise ValueError(f"{scenario}: figures lack {missing}")
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{scenario}.json"
    document = {"scenario": scenario, "machine": machine(), **figures}
    path.write_text(json.dumps(document, indent=2, default=str) + "\n")
    print(f"\n{scenario}: figures written to {path}")
    return path
