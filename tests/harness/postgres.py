"""PostgreSQL for the tests: find or start a server, and create throwaway databases on it.

``provide_postgres()`` tries, in order:

a. ``TEST_POSTGRES_URL`` from the environment;
b. a testcontainers ``PostgresContainer`` when a Docker engine answers;
c. a server already running on 127.0.0.1:5432 that accepts user ``postgres``;
d. a throwaway cluster made with the local ``initdb`` + ``pg_ctl`` in a temporary directory.
"""

import contextlib
import glob
import os
import pwd
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import tempfile
import warnings
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
from psycopg import sql

from . import HarnessError
from ._process import one_line
from .docker import docker_engine_available
from .ports import free_port

ENV_URL = "TEST_POSTGRES_URL"
ENV_IMAGE = "TEST_POSTGRES_IMAGE"
DEFAULT_IMAGE = "postgres:16-alpine"
LOCAL_URL = "postgresql://postgres:postgres@127.0.0.1:5432/postgres"
CONNECT_TIMEOUT = 2
PG_START_TIMEOUT = 30
MAX_IDENTIFIER_LENGTH = 63

NOT_AVAILABLE = (
    "No PostgreSQL for the tests: set TEST_POSTGRES_URL=postgresql://user:pw@host:port/postgres, "
    "run a Docker engine, start a server on 127.0.0.1:5432 accepting user postgres, "
    "or install the PostgreSQL server binaries (initdb, pg_ctl)"
)

_Provider = Callable[[ExitStack], str]


class _UnavailableError(Exception):
    """This discovery option does not apply here; the message says why."""


def normalize_url(url: str) -> str:
    """Return ``url`` as a plain ``postgresql://`` URL (drop ``+driver``, accept ``postgres://``)."""
    parts = urlsplit(url)
    scheme = parts.scheme.split("+", 1)[0]
    if scheme not in ("postgres", "postgresql"):
        raise HarnessError(f"not a PostgreSQL URL: {redact(url)}")
    return urlunsplit(parts._replace(scheme="postgresql"))


def redact(url: str) -> str:
    """Hide the password of a URL for error messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def _check_connect(url: str, timeout: int = CONNECT_TIMEOUT) -> None:
    with psycopg.connect(url, connect_timeout=timeout, autocommit=True) as conn:
        conn.execute("SELECT 1")


def _from_env(stack: ExitStack) -> str:
    raw = os.environ.get(ENV_URL, "").strip()
    if not raw:
        raise _UnavailableError(f"{ENV_URL} not set")
    url = normalize_url(raw)
    try:
        _check_connect(url, timeout=5)
    except psycopg.Error as exc:
        raise HarnessError(
            f"{ENV_URL}={redact(url)} is set but not usable: {one_line(exc)}"
        ) from exc
    return url


def _from_docker(stack: ExitStack) -> str:
    if not docker_engine_available():
        raise _UnavailableError("docker: no engine answers")
    try:
        from testcontainers.community.postgres import PostgresContainer
    except ImportError:
        try:  # older testcontainers: no ``community`` namespace
            from testcontainers.postgres import PostgresContainer
        except ImportError as exc:
            raise _UnavailableError(
                f"docker: testcontainers postgres support missing ({exc})"
            ) from exc
    image = os.environ.get(ENV_IMAGE, DEFAULT_IMAGE)
    container = PostgresContainer(
        image, username="test", password="test", dbname="postgres", driver=None
    )
    try:
        container.start()
    except Exception as exc:
        with contextlib.suppress(Exception):
            container.stop()
        warnings.warn(
            f"PostgreSQL container {image} did not start ({one_line(exc)}); trying the next option",
            RuntimeWarning,
            stacklevel=2,
        )
        raise _UnavailableError(f"docker: {image} did not start: {one_line(exc)}") from exc
    stack.callback(container.stop)
    return normalize_url(container.get_connection_url())


def _from_local_server(stack: ExitStack) -> str:
    try:
        _check_connect(LOCAL_URL)
    except psycopg.Error as exc:
        raise _UnavailableError(f"127.0.0.1:5432: {one_line(exc, 120)}") from exc
    return LOCAL_URL


def _find_pg_bindir() -> Path | None:
    """Directory holding ``initdb``, ``pg_ctl`` and ``postgres`` (PATH first, then Debian's)."""
    initdb = shutil.which("initdb")
    if initdb:
        # /usr/local/bin/initdb may be a symlink into /usr/lib/postgresql/N/bin.
        bindir = Path(initdb).resolve().parent
        if (bindir / "pg_ctl").exists():
            return bindir
        if shutil.which("pg_ctl"):
            return Path(initdb).parent

    def version(path: str) -> tuple[int, ...]:
        match = re.search(r"/postgresql/([\d.]+)/", path)
        return tuple(int(p) for p in match.group(1).split(".") if p) if match else ()

    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True)
    for candidate in candidates:
        bindir = Path(candidate)
        if (bindir / "initdb").exists() and (bindir / "pg_ctl").exists():
            return bindir
    return None


def _os_user_for_postgres() -> pwd.struct_passwd | None:
    """The OS user to run the cluster as: None for "the current user" (not root)."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        raise _UnavailableError(
            "initdb: running as root and there is no 'postgres' OS user"
        ) from None


def _from_initdb(stack: ExitStack) -> str:
    bindir = _find_pg_bindir()
    if bindir is None:
        raise _UnavailableError(
            "initdb: no PostgreSQL server binaries on PATH or /usr/lib/postgresql"
        )
    owner = _os_user_for_postgres()

    tmp = Path(tempfile.mkdtemp(prefix="harness-pg-"))
    stack.callback(shutil.rmtree, tmp, ignore_errors=True)
    if owner is not None:
        os.chown(tmp, owner.pw_uid, owner.pw_gid)
    data = tmp / "data"
    log = tmp / "postgres.log"

    def run(*args: str | Path, timeout: float = 60) -> None:
        cmd = [str(a) for a in args]
        env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
        if owner is not None:
            env["HOME"] = str(tmp)
        try:
            result = subprocess.run(
                cmd,
                cwd=tmp,
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
                user=owner.pw_uid if owner is not None else None,
                group=owner.pw_gid if owner is not None else None,
                extra_groups=[] if owner is not None else None,
            )
        except subprocess.TimeoutExpired as exc:
            raise _UnavailableError(f"{Path(cmd[0]).name} timed out after {timeout:g}s") from exc
        if result.returncode != 0:
            output = (result.stdout + result.stderr).strip()
            raise _UnavailableError(f"{Path(cmd[0]).name} failed: {one_line(output, 300)}")

    run(
        bindir / "initdb",
        "-D",
        data,
        "-U",
        "postgres",
        "--auth=trust",
        "--encoding=UTF8",
        "--locale=C",
        "--no-sync",
    )

    last_error: _UnavailableError | None = None
    for _attempt in range(3):
        port = free_port()
        options = " ".join(
            [
                f"-p {port}",
                f"-k {shlex.quote(str(tmp))}",
                "-c listen_addresses=127.0.0.1",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=200",
            ]
        )
        try:
            run(
                bindir / "pg_ctl",
                "-D",
                data,
                "-l",
                log,
                "-o",
                options,
                "-w",
                "-t",
                str(PG_START_TIMEOUT),
                "start",
                timeout=PG_START_TIMEOUT + 10,
            )
        except _UnavailableError as exc:
            _stop_cluster(bindir, data, run)  # in case a timed-out start left a postmaster
            last_error = exc
            with contextlib.suppress(OSError):
                last_error = _UnavailableError(
                    f"{exc}; log: {one_line(log.read_text()[-300:], 300)}"
                )
            continue
        stack.callback(_stop_cluster, bindir, data, run)
        url = f"postgresql://postgres:postgres@127.0.0.1:{port}/postgres"
        try:
            _check_connect(url, timeout=5)
        except psycopg.Error as exc:
            raise _UnavailableError(f"initdb cluster started but refuses: {one_line(exc)}") from exc
        return url
    assert last_error is not None
    raise last_error


def _stop_cluster(bindir: Path, data: Path, run: Callable[..., None]) -> None:
    try:
        run(bindir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop", timeout=30)
    except _UnavailableError:
        # Last resort: kill the postmaster so the temp dir can go.
        with contextlib.suppress(OSError, ValueError, IndexError):
            pid = int((data / "postmaster.pid").read_text().splitlines()[0])
            os.kill(pid, signal.SIGKILL)


PROVIDERS: tuple[_Provider, ...] = (_from_env, _from_docker, _from_local_server, _from_initdb)


@contextmanager
def provide_postgres() -> Iterator[str]:
    """Yield an admin URL ``postgresql://user:pw@host:port/postgres`` for a usable server.

    Anything started here (container, throwaway cluster) is stopped and removed on exit.
    Raises ``HarnessError`` (one line) when no option works.
    """
    reasons: list[str] = []
    with ExitStack() as stack:
        url: str | None = None
        for provider in PROVIDERS:
            attempt = stack.enter_context(ExitStack())
            try:
                url = provider(attempt)
                break
            except _UnavailableError as exc:
                attempt.close()
                reasons.append(one_line(exc, 300))
        if url is None:
            raise HarnessError(f"{NOT_AVAILABLE} (tried: {'; '.join(reasons)})")
        yield url


def _connect_admin(admin_url: str) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(normalize_url(admin_url), autocommit=True, connect_timeout=10)


def database_url(admin_url: str, name: str) -> str:
    """``admin_url`` with its database replaced by ``name``."""
    parts = urlsplit(normalize_url(admin_url))
    return urlunsplit(parts._replace(path="/" + quote(name, safe="")))


def create_database(admin_url: str, name: str) -> str:
    """Create a fresh database ``name`` (dropping a leftover first) and return its URL."""
    with _connect_admin(admin_url) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return database_url(admin_url, name)


def drop_database(admin_url: str, name: str) -> None:
    """Drop database ``name`` if it exists, disconnecting any remaining sessions."""
    with _connect_admin(admin_url) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def unique_database_name(prefix: str) -> str:
    """A database name unlikely to clash: ``<prefix>_<pid>_<8 hex>``, lower case, <= 63 chars."""
    clean = re.sub(r"[^a-z0-9_]+", "_", prefix.lower()).strip("_") or "test"
    if clean[0].isdigit():
        clean = f"t_{clean}"
    suffix = f"_{os.getpid()}_{secrets.token_hex(4)}"
    return clean[: MAX_IDENTIFIER_LENGTH - len(suffix)] + suffix
