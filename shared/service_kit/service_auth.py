"""Client-credentials tokens for calling other services, cached until shortly before expiry."""

import asyncio
import time
from collections.abc import AsyncGenerator

import httpx

from service_kit.errors import ServiceUnavailableError

# A token is renewed this long before it expires, so none expires in flight.
RENEWAL_MARGIN_SECONDS = 60


class ServiceTokenError(ServiceUnavailableError):
    """No service token could be had, so the call that needed it was not sent.

    `retryable`: user-service could not be reached or failed; a refusal of this service's
    credentials is not retryable.
    """

    slug = "dependency-unavailable"

    def __init__(self, detail: str, *, retryable: bool) -> None:
        super().__init__(detail, headers={"Retry-After": "5"}, dependency="user-service")
        self.retryable = retryable


class ServiceTokenProvider:
    """Fetches this service's token from user-service's `POST /token` and caches it."""

    def __init__(
        self,
        *,
        http_client: httpx.AsyncClient,
        token_url: str,
        client_id: str,
        client_secret: str,
    ) -> None:
        self.http_client = http_client
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self._token: str | None = None
        self._renew_at = 0.0
        self._lock = asyncio.Lock()

    async def token(self) -> str:
        if self._token is not None and time.monotonic() < self._renew_at:
            return self._token
        async with self._lock:
            if self._token is None or time.monotonic() >= self._renew_at:
                await self._fetch()
            assert self._token is not None
            return self._token

    def invalidate(self) -> None:
        self._token = None

    async def _fetch(self) -> None:
        try:
            response = await self.http_client.post(
                self.token_url,
                data={"grant_type": "client_credentials"},
                auth=(self.client_id, self.client_secret),
            )
        except httpx.HTTPError as exc:
            raise ServiceTokenError(
                "user-service is unreachable, so no service token could be obtained.",
                retryable=True,
            ) from exc
        if response.status_code != 200:
            raise ServiceTokenError(
                f"user-service refused this service's credentials ({response.status_code}).",
                retryable=response.status_code >= 500,
            )
        body = response.json()
        self._token = body["access_token"]
        lifetime = float(body.get("expires_in", 300))
        self._renew_at = time.monotonic() + max(lifetime - RENEWAL_MARGIN_SECONDS, lifetime / 2)


class ServiceAuth(httpx.Auth):
    """Adds the service token to a request, and renews it once if the callee answers 401."""

    def __init__(self, provider: ServiceTokenProvider) -> None:
        self.provider = provider

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        request.headers["Authorization"] = f"Bearer {await self.provider.token()}"
        response = yield request
        if response.status_code == 401:
            self.provider.invalidate()
            request.headers["Authorization"] = f"Bearer {await self.provider.token()}"
            yield request
