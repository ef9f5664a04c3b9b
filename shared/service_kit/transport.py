"""The transport under every service-to-service `httpx.AsyncClient`: aiohttp's connection pool.

httpcore's pool rescans every connection each time one is taken or given back, under an anyio
lock: at the hundred connections a busy service keeps, that is milliseconds of CPU per call
(encode/httpx#3215; measured here: 3.5-4.4 ms per call at 50-200 concurrent callers, against
0.35-0.4 ms through this transport). `httpx_aiohttp` keeps httpx's API (requests, responses,
timeouts, hooks) and hands the sending to aiohttp.

What it changes for us is only how a failure is named, because the retry policy decides from
the name whether a call may have reached the server (`service_kit.retry.nothing_sent`):
`httpx_aiohttp` calls every dropped connection a `ConnectTimeout`, even one dropped after the
request was written. Here only a connection that was never made (refused, unreachable, or no
pooled connection free in time) is a `ConnectError`/`ConnectTimeout`; a connection lost later
is a `RemoteProtocolError` (or a `ReadTimeout` for a silent server): sent, outcome unknown.
And a call cut short by its deadline (`asyncio.timeout`) can tell whether it had a connection
yet: `watching_progress` records it, from aiohttp's trace signals.
"""

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import Enum
from types import SimpleNamespace
from typing import NoReturn

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport


class Progress(Enum):
    """How far the current call got through this transport."""

    STARTED = "started"  # waiting for a connection: nothing can have been sent yet
    CONNECTED = "connected"  # it has one: the request may be on its way


_progress: ContextVar[list[Progress] | None] = ContextVar("transport_progress", default=None)


@contextmanager
def watching_progress() -> Iterator[list[Progress]]:
    """Record how far calls made in the block (in this task) got; empty if none went through
    this transport (another transport's progress is unknown)."""
    steps: list[Progress] = []
    token = _progress.set(steps)
    try:
        yield steps
    finally:
        _progress.reset(token)


def _reporting(step: Progress) -> Callable[..., Awaitable[None]]:
    async def report(_: aiohttp.ClientSession, __: SimpleNamespace, ___: object) -> None:
        steps = _progress.get()
        if steps is not None:
            steps.append(step)

    return report


def _progress_trace() -> aiohttp.TraceConfig:
    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(_reporting(Progress.STARTED))
    trace.on_connection_create_end.append(_reporting(Progress.CONNECTED))
    trace.on_connection_reuseconn.append(_reporting(Progress.CONNECTED))
    return trace


def _renamed(error: httpx.TransportError, request: httpx.Request) -> NoReturn:
    """Raise `error` under the name that says whether the request may have been sent."""
    cause = error.__cause__
    message = str(error) or type(cause).__name__
    if isinstance(cause, aiohttp.ClientConnectorError):
        raise httpx.ConnectError(message, request=request) from cause
    if isinstance(cause, aiohttp.ConnectionTimeoutError):
        raise httpx.ConnectTimeout(message, request=request) from cause
    if isinstance(cause, aiohttp.SocketTimeoutError):
        raise httpx.ReadTimeout(message, request=request) from cause
    if isinstance(error, httpx.ConnectError | httpx.ConnectTimeout):
        raise httpx.RemoteProtocolError(message, request=request) from cause
    raise error


class _Body(httpx.AsyncByteStream):
    """The response body, its failures named as `_renamed` names them."""

    def __init__(self, inner: httpx.AsyncByteStream, request: httpx.Request) -> None:
        self._inner = inner
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._inner:
                yield chunk
        except httpx.TransportError as error:
            _renamed(error, self._request)
        except aiohttp.ClientError as error:
            raise httpx.ReadError(str(error), request=self._request) from error

    async def aclose(self) -> None:
        await self._inner.aclose()


class PooledTransport(AiohttpTransport):
    """`httpx_aiohttp`'s transport with failures named for the retry policy (see above).

    At most `max_connections` connections, and at most `per_peer` to one host and port (0: no
    such limit), reused while idle. A call finding none free waits in line, unsent, up to the
    request's pool timeout; running out of it is a `ConnectTimeout`: nothing was sent.
    """

    def __init__(self, max_connections: int, *, per_peer: int = 0) -> None:
        limits = httpx.Limits(
            max_connections=max_connections, max_keepalive_connections=max_connections
        )
        super().__init__(limits=limits, trust_env=False)
        self.per_peer = per_peer

    def get_client(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(
            limit=self.limits.max_connections or 0,
            limit_per_host=self.per_peer,
            keepalive_timeout=self.limits.keepalive_expiry,
            ssl=self.ssl_context,
        )
        return aiohttp.ClientSession(connector=connector, trace_configs=[_progress_trace()])

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = await super().handle_async_request(request)
        except httpx.TransportError as error:
            _renamed(error, request)
        except aiohttp.ClientError as error:  # one `httpx_aiohttp` leaves unnamed
            raise httpx.RemoteProtocolError(str(error), request=request) from error
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _Body(response.stream, request)
        return response
