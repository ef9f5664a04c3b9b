"""py-spy profiles of the services during a load, summarised as their top entries.

    uv run --frozen python -m tests.bench rush --profile booking-service

writes `results/<scenario>-<service>.txt` (py-spy's collapsed stacks, for `flamegraph.pl` or
speedscope) and prints the share of samples spent in each library and the top functions.
"""

import shutil
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.bench.cpu import processes_labelled
from tests.bench.report import RESULTS

LIBRARIES = (
    "psycopg",
    "sqlalchemy",
    "httpx",
    "httpcore",
    "asyncio",
    "uvicorn",
    "starlette",
    "fastapi",
    "pydantic",
    "jwt",
    "cryptography",
    "pymongo",
    "h11",
    "anyio",
    "json",
    "logging",
    "opentelemetry",
    "booking_service",
    "event_service",
    "notification_service",
    "service_kit",
)


def _py_spy() -> str:
    beside = Path(sys.executable).parent / "py-spy"
    found = str(beside) if beside.exists() else shutil.which("py-spy")
    if found is None:
        raise FileNotFoundError("py-spy is not installed: uv sync --frozen")
    return found


@contextmanager
def profiling(services: list[str], scenario: str) -> Iterator[None]:
    """Record every process of `services` (by cpu.py's labels) while the block runs."""
    RESULTS.mkdir(exist_ok=True)
    recorders = []
    for service in services:
        for pid in processes_labelled(service):
            out = RESULTS / f"{scenario}-{service}-{pid}.txt"
            command = [
                _py_spy(),
                "record",
                "--nonblocking",
                "--subprocesses",
                "--rate",
                "50",
                "--format",
                "raw",
                "--output",
                str(out),
                "--pid",
                str(pid),
            ]
            recorders.append(
                (
                    service,
                    out,
                    subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
                )
            )
    try:
        yield
    finally:
        for service, out, recorder in recorders:
            recorder.send_signal(signal.SIGINT)
            recorder.wait(timeout=30)
            summarise(service, out)


def summarise(service: str, path: Path, top: int = 12) -> None:
    if not path.exists():
        print(f"no profile of {service} ({path.name})")
        return
    by_library: Counter[str] = Counter()
    by_function: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        samples = int(count)
        total += samples
        frames = stack.split(";")
        seen = {
            library
            for frame in frames
            for library in LIBRARIES
            if f"{library}/" in frame or f"/{library}." in frame or f"({library}" in frame
        }
        for library in seen:
            by_library[library] += samples
        by_function[frames[-1]] += samples
    if not total:
        return
    print(f"\nprofile of {service} ({total} samples, {path.name}): inclusive share per library")
    for library, samples in by_library.most_common():
        print(f"  {library:<22} {samples / total:6.1%}")
    print("  top functions (self):")
    for function, samples in by_function.most_common(top):
        print(f"  {samples / total:6.1%}  {function[:110]}")
