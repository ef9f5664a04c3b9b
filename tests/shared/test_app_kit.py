import json
import logging
import re
from contextlib import AbstractAsyncContextManager

import httpx
import pytest
from fastapi import FastAPI

from service_kit.logging import JsonFormatter
from tests.shared.kit_app import create_kit_app
from tests.utils.asgi import running_client
from tests.utils.users import assert_problem


def kit_client(app: FastAPI | None = None) -> AbstractAsyncContextManager[httpx.AsyncClient]:
    return running_client(app or create_kit_app())


async def test_request_id_is_honoured_and_returned() -> None:
    async with kit_client() as client:
        response = await client.get("/items/1", headers={"X-Request-ID": "abc-123"})

    assert response.headers["x-request-id"] == "abc-123"


async def test_request_id_is_generated_when_missing_or_unsafe() -> None:
    async with kit_client() as client:
        missing = await client.get("/items/1")
        unsafe = await client.get("/items/1", headers={"X-Request-ID": "bad id\twith junk"})

    assert re.fullmatch(r"[0-9a-f]{32}", missing.headers["x-request-id"])
    assert re.fullmatch(r"[0-9a-f]{32}", unsafe.headers["x-request-id"])


async def test_unhandled_error_is_a_500_problem_without_internals() -> None:
    async with kit_client() as client:
        response = await client.get("/boom", headers={"X-Request-ID": "req-500"})

    body = assert_problem(response, 500)
    assert body["request_id"] == "req-500"
    assert response.headers["x-request-id"] == "req-500"
    assert "hunter2" not in response.text
    assert "Traceback" not in response.text
    assert "RuntimeError" not in response.text


async def test_domain_error_becomes_problem_with_extra_members() -> None:
    async with kit_client() as client:
        response = await client.post("/conflict")

    body = assert_problem(response, 409)
    assert body["detail"] == "Only 2 tickets left."
    assert body["available_tickets"] == 2
    assert body["type"] == "urn:event-booking:problem:conflict"


async def test_unknown_route_wrong_method_and_bad_params_are_problems() -> None:
    async with kit_client() as client:
        assert_problem(await client.get("/nowhere"), 404)
        assert_problem(await client.delete("/items/1"), 405)
        body = assert_problem(await client.get("/items/abc"), 422)

    assert body["errors"] == [
        {
            "field": "path.item_id",
            "message": body["errors"][0]["message"],  # type: ignore[index]
            "type": "int_parsing",
        }
    ]


async def test_access_log_line_has_method_path_status_duration_and_request_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="access")
    async with kit_client() as client:
        await client.get("/items/7", headers={"X-Request-ID": "log-me"})

    record = next(r for r in caplog.records if r.name == "access")
    line = json.loads(JsonFormatter("kit-test").format(record))
    assert line["method"] == "GET"
    assert line["path"] == "/items/7"
    assert line["route"] == "/items/{item_id}"
    assert line["status"] == 200
    assert line["duration_ms"] >= 0
    assert line["request_id"] == "log-me"
    assert line["service"] == "kit-test"


async def test_metrics_count_requests_by_route_template_and_status() -> None:
    async with kit_client() as client:
        await client.get("/items/1")
        await client.get("/items/2")
        metrics = (await client.get("/metrics")).text

    pattern = (
        r'http_requests_total\{method="GET",route="/items/\{item_id\}",'
        r'service="kit-test",status="200"\} (\d+)'
    )
    match = re.search(pattern, metrics)
    assert match is not None
    assert int(match.group(1)) >= 2
    assert "http_request_duration_seconds_bucket" in metrics


async def test_healthz_answers_without_io() -> None:
    async def unreachable() -> None:
        raise ConnectionError

    async with kit_client(create_kit_app(readiness={"database": unreachable})) as client:
        response = await client.get("/healthz")

    assert response.json() == {"status": "ok"}


async def test_readyz_names_the_failing_dependency() -> None:
    async def reachable() -> None:
        return None

    async def unreachable() -> None:
        raise ConnectionError("refused")

    app = create_kit_app(readiness={"database": reachable, "mongo": unreachable})
    async with kit_client(app) as client:
        response = await client.get("/readyz")

    body = assert_problem(response, 503)
    assert body["checks"] == {"database": "ok", "mongo": "unreachable (ConnectionError)"}
    assert "mongo" in str(body["detail"])


async def test_cors_allows_the_configured_origin_only() -> None:
    async with kit_client() as client:
        allowed = await client.options(
            "/items/1",
            headers={
                "Origin": "http://localhost:5173",
                "Access-Control-Request-Method": "GET",
            },
        )
        other = await client.get("/items/1", headers={"Origin": "http://evil.example"})

    assert allowed.headers["access-control-allow-origin"] == "http://localhost:5173"
    assert "access-control-allow-origin" not in other.headers


async def test_malformed_json_body_is_named_by_line_and_column() -> None:
    async with kit_client() as client:
        response = await client.post(
            "/items",
            content=b'{\n  "name": "pen"\n  "quantity": 2\n}',
            headers={"content-type": "application/json"},
        )

    body = assert_problem(response, 422)
    message = "Malformed JSON at line 3, column 3: Expecting ',' delimiter"
    assert body["detail"] == message
    assert body["type"] == "urn:event-booking:problem:malformed-json"
    assert body["errors"] == [{"field": "body", "message": message, "type": "json_invalid"}]
