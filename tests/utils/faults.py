"""Fault injection in front of an in-process service, as its callers would see it."""

from typing import Literal

import httpx

FaultMode = Literal["down", "timeout-after-applying", "error-503"]


class FaultyTransport(httpx.AsyncBaseTransport):
    """Passes requests to `inner` until told to fail, for `times` requests or until healed."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.mode: FaultMode | None = None
        self.remaining: int | None = None
        self.calls = 0

    def fail(self, mode: FaultMode, times: int | None = None) -> None:
        self.mode, self.remaining = mode, times

    def heal(self) -> None:
        self.mode, self.remaining = None, None

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
        if mode == "error-503":
            return httpx.Response(503, json={"title": "injected"}, request=request)
        response = await self.inner.handle_async_request(request)
        if mode == "timeout-after-applying":
            await response.aread()
            raise httpx.ReadTimeout("no answer in time (injected)", request=request)
        return response
