"""Assertions and payloads for hostile input: text a store cannot hold, oversized bodies."""

import select
import socket
import time

import httpx

from tests.utils.users import assert_problem


def assert_text_refused(
    response: httpx.Response, field: str, kind: str = "control_character"
) -> None:
    """A 422 validation problem naming `field` for a control character (or `kind`)."""
    problem = assert_problem(response, 422)
    errors = problem["errors"]
    assert isinstance(errors, list)
    assert {"field": field, "type": kind} in [
        {"field": error["field"], "type": error["type"]} for error in errors
    ], errors


def oversized_json(total_bytes: int = 2 * 1024 * 1024) -> bytes:
    """A JSON document of about `total_bytes`, over every service's default body limit."""
    return b'{"padding": "' + b"x" * total_bytes + b'"}'


def assert_store_unavailable(response: httpx.Response) -> None:
    """A 503 problem naming MongoDB, with `Retry-After`."""
    problem = assert_problem(response, 503)
    assert problem["type"] == "urn:event-booking:problem:store-unavailable"
    assert problem["store"] == "mongodb"
    assert int(response.headers["retry-after"]) >= 1


def send_huge_header(
    host: str, port: int, *, size: int = 1024 * 1024, timeout: float = 10
) -> bytes:
    """Send a request whose head holds a `size`-byte header, in chunks as a network would
    deliver it; return what the server answered before closing (b"" if it closed silently).

    The server is expected to refuse the head part-way: sending stops at its first answer.
    """
    chunk = 16 * 1024
    head = b"GET /healthz HTTP/1.1\r\nHost: test\r\nX-Huge: " + b"a" * size + b"\r\n\r\n"
    deadline = time.monotonic() + timeout
    with socket.create_connection((host, port), timeout=timeout) as connection:
        for start in range(0, len(head), chunk):
            readable, _, _ = select.select([connection], [], [], 0.005)
            if readable:
                break
            try:
                connection.sendall(head[start : start + chunk])
            except OSError:  # refused and closed already: read what it said
                break
        answer = b""
        while time.monotonic() < deadline:
            try:
                data = connection.recv(65536)
            except ConnectionResetError:
                break
            if not data:
                break
            answer += data
        return answer
