"""Bodies over MAX_REQUEST_BYTES are refused with a 413 problem, a declared one unread."""

from collections.abc import AsyncIterator
from typing import Any

from starlette.types import Message

from service_kit.settings import ServiceSettings
from tests.shared.kit_app import create_kit_app
from tests.utils.asgi import running_client
from tests.utils.users import assert_problem

LIMIT = 2048


def _app() -> Any:
    return create_kit_app(
        settings=ServiceSettings(service_name="kit-test", env="test", max_request_bytes=LIMIT)
    )


async def test_declared_body_over_limit_is_413_problem_before_reading() -> None:
    app = _app()
    sent: list[Message] = []

    async def receive() -> Message:
        raise AssertionError("the body was read")

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/items",
        "raw_path": b"/items",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"100000000")],
        "client": ("127.0.0.1", 1234),
        "server": ("testserver", 80),
    }
    await app(scope, receive, send)

    assert sent[0]["status"] == 413
    headers = dict(sent[0]["headers"])
    assert headers[b"content-type"] == b"application/problem+json"
    assert f"at most {LIMIT} bytes".encode() in sent[1]["body"]


async def test_streamed_body_over_limit_is_413_problem() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"name": "'
        for _ in range(10):
            yield b"x" * 1000
        yield b'", "quantity": 1}'

    async with running_client(_app()) as client:
        response = await client.post(
            "/items", content=chunks(), headers={"content-type": "application/json"}
        )

    problem = assert_problem(response, 413)
    assert problem["type"] == "urn:event-booking:problem:content-too-large"
    assert f"at most {LIMIT} bytes" in str(problem["detail"])


async def test_body_within_limit_is_accepted() -> None:
    async with running_client(_app()) as client:
        response = await client.post("/items", json={"name": "x" * 1000, "quantity": 1})

    assert response.status_code == 201, response.text


def test_default_limit_is_one_mebibyte() -> None:
    assert ServiceSettings().max_request_bytes == 1024 * 1024
