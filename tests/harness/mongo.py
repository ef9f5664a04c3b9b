"""MongoDB for the tests.

``provide_mongo()`` tries, in order:

a. ``TEST_MONGO_URL`` from the environment;
b. a testcontainers ``MongoDbContainer`` when a Docker engine answers;
c. a SecantusDB server (MongoDB wire-compatible, pure Python) started as a subprocess.
"""

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from pymongo import MongoClient
from pymongo.errors import PyMongoError

from . import HarnessError
from ._process import ManagedProcess, log_tail, one_line
from .docker import docker_engine_available
from .ports import free_port, port_is_open

ENV_URL = "TEST_MONGO_URL"
ENV_IMAGE = "TEST_MONGO_IMAGE"
DEFAULT_IMAGE = "mongo:7"
PORT_ATTEMPTS = 3
SECANTUS_START_TIMEOUT = 30.0
SECANTUS_STOP_GRACE = 10.0  # SecantusDB needs ~2s for a clean SIGTERM shutdown


def ping(url: str, timeout: float = 2.0) -> None:
    """Run ``ping`` against ``url``; raise ``PyMongoError`` if it does not answer in time."""
    ms = int(timeout * 1000)
    client: MongoClient[dict[str, object]] = MongoClient(
        url, serverSelectionTimeoutMS=ms, connectTimeoutMS=ms, socketTimeoutMS=ms
    )
    try:
        client.admin.command("ping")
    finally:
        client.close()


@contextmanager
def provide_mongo() -> Iterator[str]:
    """Yield a ``mongodb://host:port`` URL (with credentials for a container) of a usable server.

    The URL has no database path: pick databases with ``client[name]``. Anything started here is
    stopped and removed on exit. Raises ``HarnessError`` when nothing can be provided.
    """
    env_url = os.environ.get(ENV_URL, "").strip()
    if env_url:
        try:
            ping(env_url, timeout=5.0)
        except PyMongoError as exc:
            raise HarnessError(f"{ENV_URL} is set but not usable: {one_line(exc)}") from exc
        yield env_url
        return

    with ExitStack() as stack:
        url = _start_container(stack) if docker_engine_available() else None
        if url is None:
            url = stack.enter_context(run_secantus())
        yield url


def _start_container(stack: ExitStack) -> str | None:
    """Start a MongoDB container (stopped by ``stack``); None, with a warning, if it fails."""
    try:
        from testcontainers.community.mongodb import MongoDbContainer
    except ImportError:
        try:  # older testcontainers: no ``community`` namespace
            from testcontainers.mongodb import MongoDbContainer
        except ImportError:
            return None
    image = os.environ.get(ENV_IMAGE, DEFAULT_IMAGE)
    container = MongoDbContainer(image, username="test", password="test")
    try:
        container.start()
    except Exception as exc:
        with contextlib.suppress(Exception):
            container.stop()
        warnings.warn(
            f"MongoDB container {image} did not start ({one_line(exc)}); using SecantusDB",
            RuntimeWarning,
            stacklevel=3,
        )
        return None
    stack.callback(container.stop)
    url: str = container.get_connection_url()
    return url


class SecantusProcess(ManagedProcess):
    """A SecantusDB server on a fixed port and data directory: ``kill`` and ``start`` bring it
    back on the same ``url`` with the same data (with ``durable``, which keeps a journal)."""

    def __init__(
        self, *, port: int, data: Path, log: Path, config: Path, standalone: bool, durable: bool
    ) -> None:
        self.port = port
        self.url = f"mongodb://127.0.0.1:{port}"
        cmd = [sys.executable, "-m", "secantus", "--config", str(config), "--host", "127.0.0.1"]
        cmd += ["--port", str(port), "--storage-path", str(data), "--log-level", "WARNING"]
        if standalone:
            cmd.append("--standalone")
        # Fast storage: no journal and no checkpoint at close, so a kill loses the data.
        env = {} if durable else {"SECANTUS_TEST_FAST_STORAGE": "1"}
        super().__init__(
            cmd,
            log_path=log,
            env=env,
            cwd=config.parent,
            grace=SECANTUS_STOP_GRACE,
            wait_ready=lambda proc: _wait_for_secantus(proc, self.url, port, log),
        )


@contextmanager
def run_secantus(*, standalone: bool = True) -> Iterator[str]:
    """Run a throwaway SecantusDB server on a free port; yield ``mongodb://127.0.0.1:<port>``.

    Storage lives in a temporary directory (non-durable fast mode) together with the server log;
    both are removed on exit. ``standalone=False`` makes it advertise a single-node replica set,
    which change streams (``watch()``) need.
    """
    with serve_secantus(standalone=standalone) as server:
        yield server.url


@contextmanager
def serve_secantus(*, standalone: bool = True, durable: bool = False) -> Iterator[SecantusProcess]:
    """As ``run_secantus``, but yields the server, for tests that kill and restart it.

    ``durable`` keeps a journal, so that the server killed (SIGKILL) and started again comes
    back with every write it acknowledged.
    """
    tmp = Path(tempfile.mkdtemp(prefix="harness-mongo-"))
    try:
        config = tmp / "secantusd.toml"
        config.write_text("# empty: disables secantusd.toml auto-discovery\n")
        log = tmp / "secantus.log"
        for attempt in range(PORT_ATTEMPTS):
            log.write_bytes(b"")  # the log of a lost port race is of no interest
            server = SecantusProcess(
                port=free_port(),
                data=tmp / f"data{attempt}",
                log=log,
                config=config,
                standalone=standalone,
                durable=durable,
            )
            try:
                try:
                    server.start()
                except _PortTakenError:
                    continue
                yield server
                return
            finally:
                server.stop()
        raise HarnessError(f"SecantusDB: {PORT_ATTEMPTS} free ports were taken before it bound")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


class _PortTakenError(Exception):
    """The server lost the race for the port ``free_port()`` picked."""


def _wait_for_secantus(proc: subprocess.Popen[bytes], url: str, port: int, log: Path) -> None:
    deadline = time.monotonic() + SECANTUS_START_TIMEOUT
    last_error = "no answer"
    while time.monotonic() < deadline:
        code = proc.poll()
        if code is not None:
            tail = log_tail(log)
            if "Address already in use" in tail:
                raise _PortTakenError(port)
            raise HarnessError(
                f"SecantusDB exited with code {code} before answering on port {port}; "
                f"log tail:\n{tail}"
            )
        if port_is_open("127.0.0.1", port, timeout=0.2):
            try:
                ping(url, timeout=1.0)
                return
            except PyMongoError as exc:
                last_error = one_line(exc)
        time.sleep(0.05)
    raise HarnessError(
        f"SecantusDB did not answer ping on port {port} within {SECANTUS_START_TIMEOUT:g}s "
        f"({last_error}); log tail:\n{log_tail(log)}"
    )
