"""The HTTP client factory for service-to-service calls.

One pooled `httpx.AsyncClient` per process, created in the lifespan, sending through aiohttp's
connection pool (`service_kit.transport`). Timeouts come from settings
and the current request id is forwarded. The client never retries: a call that should be retried
goes through a `service_kit.retry.RetryPolicy`, the one retry layer.
"""

import httpx

from service_kit.context import REQUEST_ID_HEADER, current_request_id
from service_kit.settings import ServiceSettings
from service_kit.tracing import Tracing
from service_kit.transport import PooledTransport


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
    sending = transport or PooledTransport(
        settings.http_max_connections, per_peer=settings.http_max_connections_per_peer
    )
    if tracing is not None:
        sending = tracing.http_transport(sending)
    return httpx.AsyncClient(
        transport=sending,
        timeout=httpx.Timeout(
            settings.http_read_timeout,
            connect=settings.http_connect_timeout,
            # Waiting in line for a connection to a busy peer sends nothing: it may take as
            # long as a read would (and the retry policy clips it to the call's budget).
            pool=settings.http_read_timeout,
        ),
        headers={"User-Agent": f"event-booking/{settings.service_name}"},
        event_hooks={"request": [_forward_request_id]},
    )
