"""Internal helpers for the server subprocesses the harness starts."""

import os
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path


def start_logged_process(
    cmd: Sequence[str],
    *,
    log_path: Path,
    env: Mapping[str, str] | None = None,
    cwd: str | Path | None = None,
) -> "subprocess.Popen[bytes]":
    """Start ``cmd`` with stdout and stderr appended to ``log_path`` and stdin closed.

    ``env`` is layered over ``os.environ``; output is unbuffered so that a log tail is useful even
    when the process hangs.
    """
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    with log_path.open("ab") as log:
        return subprocess.Popen(
            list(cmd),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=full_env,
            cwd=cwd,
        )


def stop_process(proc: "subprocess.Popen[bytes]", *, grace: float = 10.0) -> None:
    """Terminate ``proc`` (SIGTERM), then kill it if it has not exited after ``grace`` seconds."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def log_tail(path: Path, lines: int = 30) -> str:
    """Return the last ``lines`` lines of a log file (or a note if it cannot be read)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"(log {path} unreadable: {exc})"
    tail = text.rstrip().splitlines()[-lines:]
    return "\n".join(tail) if tail else "(log is empty)"


def one_line(text: object, limit: int = 200) -> str:
    """Squash an error message onto one short line."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
