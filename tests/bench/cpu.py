"""CPU time of the processes a benchmark started, to say which one is the wall.

Reads /proc (Linux): every descendant of this process, labelled by what it runs, workers counted
with their uvicorn supervisor.
"""

import os
from collections import defaultdict
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
LABELS = {
    "user-service.app": "user-service",
    "event-service.app": "event-service",
    "booking-service.app": "booking-service",
    "notification-service.app": "notification-service",
    "tests.bench.skeleton:front": "ceiling front",
    "tests.bench.skeleton:upstream": "ceiling upstreams",
    "secantus": "mongo store (SecantusDB)",
}


def _stat(pid: str) -> tuple[int, float] | None:
    """(parent pid, CPU seconds) of a process, or None if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS


def _label(pid: int) -> str | None:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return None
    return next((label for marker, label in LABELS.items() if marker in command), None)


def snapshot() -> dict[str, float]:
    """CPU seconds used so far per label (the benchmark client itself as `bench client`)."""
    processes = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(entry.name)) is not None:
            processes[int(entry.name)] = stat
    used: dict[str, float] = defaultdict(float)
    me = os.getpid()
    used["bench client"] = processes.get(me, (0, 0.0))[1]
    for pid, (_parent, seconds) in processes.items():
        label, current = None, pid
        while current in processes and current != me:
            label = label or _label(current)
            current = processes[current][0]
        if current == me and label is not None:
            used[label] += seconds
    return dict(used)


def share(before: dict[str, float], after: dict[str, float], elapsed: float) -> dict[str, float]:
    """Per label, the cores used between two snapshots (1.0 = one core busy all along)."""
    return {
        label: round((after[label] - before.get(label, 0.0)) / elapsed, 2)
        for label in sorted(after)
        if elapsed > 0
    }


def processes_labelled(label: str) -> list[int]:
    """This process's descendants that run `label` themselves (a supervisor, not its workers)."""
    me, found = os.getpid(), []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or _label(int(entry.name)) != label:
            continue
        current = int(entry.name)
        while (stat := _stat(str(current))) is not None and current not in (me, 1):
            current = stat[0]
        if current == me:
            found.append(int(entry.name))
    return found
