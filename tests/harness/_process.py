"""Internal helpers for the server subprocesses the harness starts."""

import os
import signal
import subprocess
from collections.abc import Callable, Mapping, Sequence
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


class ManagedProcess:
    """A server process a test can stop (SIGTERM), kill (SIGKILL) and start again, on the same
    command (so the same port and data), appending to the same log.

    ``wait_ready(process)`` blocks until the new process serves, or raises (``HarnessError``);
    a process that does not become ready is stopped before the error propagates.
    """

    def __init__(
        self,
        cmd: Sequence[str],
        *,
        log_path: Path,
        wait_ready: Callable[["subprocess.Popen[bytes]"], None],
        env: Mapping[str, str] | None = None,
        cwd: str | Path | None = None,
        grace: float = 10.0,
    ) -> None:
        self.cmd = list(cmd)
        self.log = log_path
        self.env = dict(env or {})
        self.cwd = cwd
        self.grace = grace
        self._wait_ready = wait_ready
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def process(self) -> "subprocess.Popen[bytes]":
        if self._process is None:
            raise RuntimeError("the process was never started")
        return self._process

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        """Start the process and wait until it serves; a no-op while it runs."""
        if self.running:
            return
        self._process = start_logged_process(
            self.cmd, log_path=self.log, env=self.env, cwd=self.cwd
        )
        try:
            self._wait_ready(self._process)
        except BaseException:
            stop_process(self._process, grace=self.grace)
            raise

    def stop(self) -> None:
        """SIGTERM: let it shut down cleanly (SIGKILL after the grace period)."""
        if self._process is not None:
            stop_process(self._process, grace=self.grace)

    def kill(self) -> None:
        """SIGKILL: no clean-up at all, as a crash or the OOM killer would."""
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGKILL)
            self._process.wait(timeout=10)
