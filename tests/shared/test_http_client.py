import httpx
import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from service_kit.context import request_id_var
from service_kit.http import create_http_client
from service_kit.settings import ServiceSettings
from tests.harness.ports import free_port

SETTINGS = ServiceSettings(
    service_name="kit-test", http_connect_timeout=1.5, http_read_timeout=4, http_retries=2
)


class FlakyApp:
    """Fails with 503 `failures` times, then answers; records what it received."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0
        self.seen_headers: list[dict[str, str]] = []

    async def __call__(self, scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        request = Request(scope, receive)
        self.calls += 1
        self.seen_headers.append(dict(request.headers))
        if self.calls <= self.failures:
            response: Response = Response(status_code=503)
        else:
            response = JSONResponse({"ok": True})
        await response(scope, receive, send)


def client_for(app: FlakyApp) -> httpx.AsyncClient:
    return create_http_client(SETTINGS, transport=httpx.ASGITransport(app=app))


async def test_client_uses_timeouts_from_settings() -> None:
    async with create_http_client(SETTINGS) as client:
        assert client.timeout.connect == 1.5
        assert client.timeout.read == 4


async def test_client_forwards_the_current_request_id() -> None:
    app = FlakyApp(failures=0)
    token = request_id_var.set("req-forward-1")
    try:
        async with client_for(app) as client:
            await client.get("http://downstream/x")
    finally:
        request_id_var.reset(token)

    assert app.seen_headers[0]["x-request-id"] == "req-forward-1"


async def test_idempotent_requests_are_retried_on_503() -> None:
    app = FlakyApp(failures=2)
    async with client_for(app) as client:
        response = await client.put("http://downstream/x", json={})

    assert response.status_code == 200
    assert app.calls == 3


async def test_retries_stop_at_the_configured_count() -> None:
    app = FlakyApp(failures=10)
    async with client_for(app) as client:
        response = await client.get("http://downstream/x")

    assert response.status_code == 503
    assert app.calls == 3


async def test_non_idempotent_requests_are_not_retried() -> None:
    app = FlakyApp(failures=1)
    async with client_for(app) as client:
        response = await client.post("http://downstream/x", json={})

    assert response.status_code == 503
    assert app.calls == 1


async def test_post_with_idempotency_key_is_retried() -> None:
    app = FlakyApp(failures=1)
    async with client_for(app) as client:
        response = await client.post(
            "http://downstream/x", json={}, headers={"Idempotency-Key": "k1"}
        )

    assert response.status_code == 200
    assert app.calls == 2


async def test_connection_refused_surfaces_after_retries() -> None:
    async with create_http_client(SETTINGS) as client:
        with pytest.raises(httpx.ConnectError):
            await client.post(f"http://127.0.0.1:{free_port()}/x", json={})
