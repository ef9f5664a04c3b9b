"""Fault injection in front of an in-process service, as its callers would see it."""

import asyncio
from typing import Literal

import httpx

# down: the connection is refused (nothing sent); error-503: the service answers 503;
# timeout-after-applying: the request is applied, its answer lost at once (a read timeout);
# slow: the request is applied and answered only after the caller's read timeout, as by an
# overloaded service, so the caller times out as it would over a network; refuse-422: the
# service refuses the request as unprocessable (applying nothing), as it would for good;
# withheld: the caller times out at once while the request is still on its way: it reaches the
# service only when the test calls `deliver_withheld`, as a request delayed in the network does.
FaultMode = Literal["down", "timeout-after-applying", "slow", "error-503", "refuse-422", "withheld"]


class FaultyTransport(httpx.AsyncBaseTransport):
    """Passes requests to `inner` until told to fail, for `times` requests or until healed.

    Every request that reaches it is recorded in `received` as `(method, path)`.
    """

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.mode: FaultMode | None = None
        self.remaining: int | None = None
        self.calls = 0
        self.received: list[tuple[str, str]] = []
        self.withheld: list[httpx.Request] = []

    def fail(self, mode: FaultMode, times: int | None = None) -> None:
        self.mode, self.remaining = mode, times

    def heal(self) -> None:
        self.mode, self.remaining = None, None

    async def deliver_withheld(self) -> list[httpx.Response]:
        """Let the withheld requests reach the service now, in the order they were sent."""
        delivered = []
        while self.withheld:
            response = await self.inner.handle_async_request(self.withheld.pop(0))
            await response.aread()
            delivered.append(response)
        return delivered

    def count(self, method: str, path_suffix: str) -> int:
        """How many `method` requests for a path ending in `path_suffix` reached this service."""
        return sum(1 for m, path in self.received if m == method and path.endswith(path_suffix))

    def _faulty(self) -> FaultMode | None:
        if self.mode is None:
            return None
        if self.remaining is not None:
            if self.remaining <= 0:
                return None
            self.remaining -= 1
        return self.mode

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        mode = self._faulty()
        if mode == "down":
            raise httpx.ConnectError("connection refused (injected)", request=request)
        self.received.append((request.method, request.url.path))
        if mode == "error-503":
            return httpx.Response(503, json={"title": "injected"}, request=request)
        if mode == "withheld":
            await request.aread()
            self.withheld.append(request)
            raise httpx.ReadTimeout("no answer; still on its way (injected)", request=request)
        if mode == "refuse-422":
            return httpx.Response(422, json={"title": "injected"}, request=request)
        response = await self.inner.handle_async_request(request)
        if mode == "timeout-after-applying":
            await response.aread()
            raise httpx.ReadTimeout("no answer in time (injected)", request=request)
        if mode == "slow":
            await response.aread()
            await asyncio.sleep(request.extensions["timeout"]["read"])
            raise httpx.ReadTimeout("no answer within the read timeout (injected)", request=request)
        return response
