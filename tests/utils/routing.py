from urllib.parse import urlsplit

import httpx


class RoutingTransport(httpx.AsyncBaseTransport):
    """Sends each request to the transport registered for its `host:port`, as a network would.

    Unregistered addresses fail like a closed port, with `httpx.ConnectError`.
    """

    def __init__(self) -> None:
        self._routes: dict[str, httpx.AsyncBaseTransport] = {}

    def add(self, base_url: str, transport: httpx.AsyncBaseTransport) -> None:
        self._routes[self._key_of(base_url)] = transport

    def remove(self, base_url: str) -> None:
        self._routes.pop(self._key_of(base_url), None)

    @staticmethod
    def _key_of(base_url: str) -> str:
        parts = urlsplit(base_url)
        return f"{parts.hostname}:{parts.port or 80}"

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        key = f"{request.url.host}:{request.url.port or 80}"
        transport = self._routes.get(key)
        if transport is None:
            raise httpx.ConnectError(
                f"connection refused: nothing listens on {key}", request=request
            )
        return await transport.handle_async_request(request)
