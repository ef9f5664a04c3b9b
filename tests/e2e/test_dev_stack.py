"""`make dev` as a newcomer runs it: everything comes up, one Ctrl-C leaves nothing behind."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tools.devstack.ports import port_taken
from tools.devstack.stack import DEMO_USER, REPO_ROOT, SERVICES, build_stack

START_TIMEOUT = 240.0
STOP_TIMEOUT = 30.0


def _stack_ports(data: Path) -> list[int]:
    return [process.port for process in build_stack({"DEV_DATA_DIR": str(data)}).processes]


def _dev_environment(data: Path) -> dict[str, str]:
    env = {**os.environ, "DEV_DATA_DIR": str(data)}
    for name in ("MONGO_URL", "SMTP_HOST", "USER_DATABASE_URL", "BOOKING_DATABASE_URL"):
        env.pop(name, None)
    return env


def _processes_mentioning(text: str) -> list[str]:
    """Command lines of live processes whose command line or environment names `text`."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes()
            environ = (proc / "environ").read_bytes()
        except OSError:
            continue
        if text.encode() in cmdline or text.encode() in environ:
            found.append(cmdline.replace(b"\0", b" ").decode(errors="replace"))
    return found


@pytest.fixture
def free_dev_ports(tmp_path: Path) -> Path:
    taken = [port for port in _stack_ports(tmp_path) if port_taken(port)]
    if taken:
        pytest.fail(f"make dev's ports must be free for this test; taken: {taken}")
    return tmp_path


def _wait_ready(process: "subprocess.Popen[bytes]") -> None:
    urls = [f"http://localhost:{service.port}/readyz" for service in SERVICES]
    urls.append("http://localhost:5173/")
    deadline = time.monotonic() + START_TIMEOUT
    with httpx.Client(timeout=2) as client:
        while urls:
            assert process.poll() is None, "make dev exited before the platform was ready"
            assert time.monotonic() < deadline, f"not ready within {START_TIMEOUT}s: {urls}"
            for url in list(urls):
                try:
                    if client.get(url).status_code == 200:
                        urls.remove(url)
                except httpx.HTTPError:
                    pass
            time.sleep(0.5)


def _wait_seeded(client: httpx.Client) -> list[dict[str, object]]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        events = client.get("http://localhost:8001/events", params={"limit": 100}).json()
        if len(events) == 12:
            return list(events)
        time.sleep(0.5)
    raise AssertionError("the demo events did not appear")


def test_make_dev_starts_everything_seeds_once_and_stops_on_one_ctrl_c(
    free_dev_ports: Path,
) -> None:
    data = free_dev_ports
    process = subprocess.Popen(
        ["make", "dev"],
        cwd=REPO_ROOT,
        env=_dev_environment(data),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # our own process group, as a terminal would give it
    )
    try:
        _wait_ready(process)
        with httpx.Client(timeout=10) as client:
            events = _wait_seeded(client)
            assert client.get("http://localhost:5173/").text.lower().startswith("<!doctype html")
            login = client.post(
                "http://localhost:8000/login",
                json={"email": DEMO_USER[0], "password": DEMO_USER[1]},
            )
            assert login.status_code == 200
        assert {event["category"] for event in events} >= {"concert", "conference", "sports"}
        assert len({event["timezone"] for event in events}) >= 5
        assert any(0 < int(str(event["available_tickets"])) <= 3 for event in events), (
            "one event is nearly sold out"
        )
    finally:
        os.killpg(process.pid, signal.SIGINT)  # what one Ctrl-C in the terminal does
        output, _ = process.communicate(timeout=STOP_TIMEOUT)
    log = output.decode(errors="replace")
    assert "the platform is ready" in log
    assert "first run: adding demo accounts and events" in log
    leftovers = _processes_mentioning(str(data))
    assert leftovers == [], f"processes left behind: {leftovers}"
    deadline = time.monotonic() + 10
    while any(port_taken(port) for port in _stack_ports(data)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [port for port in _stack_ports(data) if port_taken(port)] == []


def test_make_dev_refuses_at_once_when_a_port_is_taken(free_dev_ports: Path) -> None:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as squatter:
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squatter.bind(("0.0.0.0", 8001))  # noqa: S104
        squatter.listen()
        result = subprocess.run(
            [sys.executable, "-m", "tools.devstack"],
            cwd=REPO_ROOT,
            env=_dev_environment(free_dev_ports),
            capture_output=True,
            timeout=20,
            check=False,
        )
    assert result.returncode == 1
    assert "port 8001 (event-service) is taken" in result.stdout.decode()
    assert _processes_mentioning(str(free_dev_ports)) == []
