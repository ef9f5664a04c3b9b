"""TCP port helpers."""

import socket
import time

from . import HarnessError


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def port_is_open(host: str, port: int, timeout: float = 0.5) -> bool:
    """Return whether something accepts TCP connections on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_for_port(host: str, port: int, timeout: float) -> None:
    """Block until ``host:port`` accepts TCP connections; raise ``HarnessError`` after ``timeout``
    seconds."""
    deadline = time.monotonic() + timeout
    while True:
        if port_is_open(host, port, timeout=min(0.5, max(timeout, 0.05))):
            return
        if time.monotonic() >= deadline:
            raise HarnessError(f"nothing is listening on {host}:{port} after {timeout:g}s")
        time.sleep(0.05)
