"""The HTTP client factory for service-to-service calls.

One pooled `httpx.AsyncClient` per process, created in the lifespan. Timeouts come from settings,
the current request id is forwarded, and failed calls are retried only where that is safe.
"""

import asyncio
import logging
import random

import httpx

from service_kit.context import REQUEST_ID_HEADER, current_request_id
from service_kit.settings import ServiceSettings
from service_kit.tracing import Tracing

logger = logging.getLogger(__name__)

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRYABLE_STATUSES = frozenset({502, 503, 504})
IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"


def is_idempotent(request: httpx.Request) -> bool:
    return request.method in IDEMPOTENT_METHODS or IDEMPOTENCY_KEY_HEADER in request.headers


class RetryingTransport(httpx.AsyncBaseTransport):
    """Retries idempotent requests on transport errors and 502/503/504, with jittered backoff.

    A non-idempotent request is retried only when the connection could not be made, since then
    nothing reached the server.
    """

    def __init__(
        self, inner: httpx.AsyncBaseTransport, *, retries: int, backoff_seconds: float = 0.05
    ) -> None:
        self.inner = inner
        self.retries = retries
        self.backoff_seconds = backoff_seconds

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        idempotent = is_idempotent(request)
        attempt = 0
        while True:
            try:
                response = await self.inner.handle_async_request(request)
            except (httpx.ConnectError, httpx.ConnectTimeout):
                if attempt >= self.retries:
                    raise
            except httpx.TransportError:
                if not idempotent or attempt >= self.retries:
                    raise
            else:
                if not (idempotent and response.status_code in RETRYABLE_STATUSES):
                    return response
                if attempt >= self.retries:
                    return response
                await response.aclose()
            attempt += 1
            delay = self.backoff_seconds * 2 ** (attempt - 1) * (1 + random.random())  # noqa: S311
            logger.info("retrying %s %s (attempt %d)", request.method, request.url, attempt + 1)
            await asyncio.sleep(delay)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def _forward_request_id(request: httpx.Request) -> None:
    request_id = current_request_id()
    if request_id and REQUEST_ID_HEADER not in request.headers:
        request.headers[REQUEST_ID_HEADER] = request_id


def create_http_client(
    settings: ServiceSettings,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    tracing: Tracing | None = None,
) -> httpx.AsyncClient:
    """The process's shared client; pass `transport` to route calls elsewhere (e.g. in tests).

    With `tracing`, each attempt is a client span that carries the trace to the callee.
    """
    limits = httpx.Limits(
        max_connections=settings.http_max_connections,
        max_keepalive_connections=settings.http_max_connections,
    )
    inner = transport or httpx.AsyncHTTPTransport(limits=limits)
    if tracing is not None:
        inner = tracing.http_transport(inner)
    return httpx.AsyncClient(
        transport=RetryingTransport(inner, retries=settings.http_retries),
        timeout=httpx.Timeout(
            settings.http_read_timeout,
            connect=settings.http_connect_timeout,
            pool=settings.http_connect_timeout,
        ),
        headers={"User-Agent": f"event-booking/{settings.service_name}"},
        event_hooks={"request": [_forward_request_id]},
    )
