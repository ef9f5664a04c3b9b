"""Run a service as a real uvicorn subprocess for end-to-end tests."""

import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

from . import HarnessError
from ._process import ManagedProcess, log_tail, one_line
from .ports import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0
STOP_GRACE = 10.0
PORT_ATTEMPTS = 3


class _PortTakenError(Exception):
    """uvicorn lost the race for the port ``free_port()`` picked."""


class UvicornProcess(ManagedProcess):
    """A service under uvicorn on a fixed port: ``url`` stays valid across ``stop``/``kill``
    and ``start`` (ready again when ``GET /healthz`` answers 200)."""

    def __init__(
        self,
        app_path: str,
        *,
        port: int,
        env: Mapping[str, str],
        cwd: str | Path,
        log: Path,
        workers: int = 1,
        options: Sequence[str] = (),
    ) -> None:
        self.app_path = app_path
        self.url = f"http://127.0.0.1:{port}"
        cmd = [sys.executable, "-m", "uvicorn", app_path, "--host", "127.0.0.1", "--port"]
        cmd.append(str(port))
        if workers > 1:
            cmd += ["--workers", str(workers)]
        cmd += options
        super().__init__(
            cmd,
            log_path=log,
            env=env,
            cwd=cwd,
            grace=STOP_GRACE,
            wait_ready=lambda proc: _wait_healthy(proc, self.url, app_path, log),
        )


@contextmanager
def run_uvicorn(
    app_path: str,
    *,
    env: Mapping[str, str],
    port: int | None = None,
    cwd: str | Path = REPO_ROOT,
    workers: int = 1,
) -> Iterator[str]:
    """Serve ``app_path`` (``module:attr``) with uvicorn on 127.0.0.1 and yield its base URL.

    The process gets ``os.environ`` overlaid with ``env``; its output goes to a temporary log
    file. Ready means ``GET /healthz`` answered 200 (within 30s, else ``HarnessError`` with the
    log tail). On exit the process is terminated (SIGTERM, then SIGKILL) and the log removed.
    """
    with serve_uvicorn(app_path, env=env, port=port, cwd=cwd, workers=workers) as server:
        yield server.url


@contextmanager
def serve_uvicorn(
    app_path: str,
    *,
    env: Mapping[str, str],
    port: int | None = None,
    cwd: str | Path = REPO_ROOT,
    workers: int = 1,
    options: Sequence[str] = (),
) -> Iterator[UvicornProcess]:
    """As ``run_uvicorn``, but yields the process, for tests that stop, kill or restart it.

    With ``workers`` > 1 the process is uvicorn's supervisor of that many worker processes;
    ``options`` are further uvicorn options (e.g. those the project serves with).
    """
    tmp = Path(tempfile.mkdtemp(prefix="harness-uvicorn-"))
    log = tmp / "uvicorn.log"
    try:
        attempts = 1 if port is not None else PORT_ATTEMPTS
        for _attempt in range(attempts):
            chosen = port if port is not None else free_port()
            log.write_bytes(b"")  # the log of a lost port race is of no interest
            server = UvicornProcess(
                app_path, port=chosen, env=env, cwd=cwd, log=log, workers=workers, options=options
            )
            try:
                try:
                    server.start()
                except _PortTakenError:
                    if port is not None:
                        raise HarnessError(
                            f"{app_path}: port {port} is already in use; log tail:\n{log_tail(log)}"
                        ) from None
                    continue
                yield server
                return
            finally:
                server.stop()
        raise HarnessError(f"{app_path}: {attempts} free ports were taken before uvicorn bound")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _wait_healthy(proc: subprocess.Popen[bytes], base_url: str, app_path: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    last = "no answer"
    # trust_env=False: never send 127.0.0.1 traffic through an HTTP(S)_PROXY.
    with httpx.Client(base_url=base_url, timeout=2.0, trust_env=False) as client:
        while time.monotonic() < deadline:
            code = proc.poll()
            if code is not None:
                tail = log_tail(log)
                if "address already in use" in tail.lower():
                    raise _PortTakenError(base_url)
                raise HarnessError(
                    f"{app_path} exited with code {code} before /healthz answered; "
                    f"log tail:\n{tail}"
                )
            try:
                response = client.get("/healthz")
            except httpx.TransportError as exc:
                last = one_line(exc) or type(exc).__name__
            else:
                if response.status_code == 200:
                    return
                last = f"/healthz answered {response.status_code}: {one_line(response.text)}"
            time.sleep(0.1)
    raise HarnessError(
        f"{app_path} not healthy at {base_url}/healthz within {START_TIMEOUT:g}s ({last}); "
        f"log tail:\n{log_tail(log)}"
    )
