import asyncio

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from service_kit.context import request_id_var
from service_kit.http import create_http_client
from service_kit.retry import Deadline, DeadlineExceededError, RetryPolicy, nothing_sent
from service_kit.settings import ServiceSettings
from tests.harness.ports import free_port
from tests.utils.inprocess import serve

SETTINGS = ServiceSettings(service_name="kit-test", http_connect_timeout=1.5, http_read_timeout=4)
POLICY = RetryPolicy(budget_seconds=5)


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


class SilentApp:
    """Takes every request and never answers it (until the caller hangs up); counts them."""

    def __init__(self) -> None:
        self.calls = 0
        self.arrived = asyncio.Event()

    async def __call__(self, scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        if scope["type"] != "http":
            return
        self.calls += 1
        self.arrived.set()
        while (await receive())["type"] != "http.disconnect":
            pass


class RefusingAfterFirst(httpx.AsyncBaseTransport):
    """Passes the first request on; refuses every later connection."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.calls = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        if self.calls > 1:
            raise httpx.ConnectError("connection refused", request=request)
        return await self.inner.handle_async_request(request)


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


async def test_client_alone_never_retries() -> None:
    app = FlakyApp(failures=1)
    async with client_for(app) as client:
        response = await client.put("http://downstream/x", json={})

    assert response.status_code == 503
    assert app.calls == 1


async def test_idempotent_call_is_retried_on_503_until_answered() -> None:
    app = FlakyApp(failures=2)
    async with client_for(app) as client:
        response = await POLICY.send(client, "PUT", "http://downstream/x", json={})

    assert response.status_code == 200
    assert app.calls == 3


async def test_call_to_a_silent_server_stops_when_the_budget_is_spent() -> None:
    app = SilentApp()
    settings = ServiceSettings(service_name="kit-test", http_read_timeout=0.6)
    policy = RetryPolicy(budget_seconds=2.0, backoff_base_seconds=0.1)
    async with serve(app, lifespan="off") as url, create_http_client(settings) as client:
        with pytest.raises(httpx.TimeoutException) as raised:
            await policy.send(client, "GET", f"{url}/x")

    # Attempts of 0.6 s with 0.05-0.1 s and then 0.1-0.2 s of backoff between them: the third
    # starts between 1.35 s and 1.5 s, and no fourth fits before 2 s, whatever the jitter.
    assert app.calls == 3
    assert not nothing_sent(raised.value)


async def test_non_idempotent_call_is_not_retried_once_sent() -> None:
    app = FlakyApp(failures=1)
    async with client_for(app) as client:
        response = await POLICY.send(client, "POST", "http://downstream/x", json={})

    assert response.status_code == 503
    assert app.calls == 1


async def test_post_with_idempotency_key_is_retried() -> None:
    app = FlakyApp(failures=1)
    async with client_for(app) as client:
        response = await POLICY.send(
            client, "POST", "http://downstream/x", json={}, headers={"Idempotency-Key": "k1"}
        )

    assert response.status_code == 200
    assert app.calls == 2


async def test_connection_refused_is_retried_and_surfaces_as_not_sent() -> None:
    policy = RetryPolicy(budget_seconds=0.5)
    async with create_http_client(SETTINGS) as client:
        with pytest.raises(httpx.ConnectError) as raised:
            await policy.send(client, "POST", f"http://127.0.0.1:{free_port()}/x", json={})

    assert nothing_sent(raised.value)


async def test_answer_that_may_have_applied_outlives_later_refused_connections() -> None:
    app = FlakyApp(failures=100)
    transport = RefusingAfterFirst(httpx.ASGITransport(app=app))
    policy = RetryPolicy(budget_seconds=0.5)
    async with create_http_client(SETTINGS, transport=transport) as client:
        response = await policy.send(client, "PUT", "http://downstream/x", json={})

    assert response.status_code == 503
    assert app.calls == 1
    assert transport.calls > 1


async def test_calls_sharing_a_spent_deadline_send_nothing() -> None:
    app = FlakyApp(failures=0)
    async with client_for(app) as client:
        with pytest.raises(DeadlineExceededError) as raised:
            await POLICY.send(client, "GET", "http://downstream/x", deadline=Deadline.after(0))

    assert app.calls == 0
    assert nothing_sent(raised.value)


async def test_a_call_that_waited_in_vain_for_a_connection_sent_nothing() -> None:
    app = SilentApp()
    settings = ServiceSettings(service_name="kit-test", http_max_connections_per_peer=1)
    policy = RetryPolicy(budget_seconds=0.6)
    async with serve(app, lifespan="off") as url, create_http_client(settings) as client:
        holding = asyncio.create_task(client.get(f"{url}/holds-the-only-connection"))
        await app.arrived.wait()
        with pytest.raises(httpx.TimeoutException) as raised:
            await policy.send(client, "POST", f"{url}/x", json={})
        holding.cancel()

    assert nothing_sent(raised.value)
    assert app.calls == 1
