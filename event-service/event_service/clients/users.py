"""What event-service asks user-service: whether a person's access token is still current.

An access token carries the account's token version (`ver`) from when it was issued; a role or
password change raises the account's version. Where a stale role would matter (creating and
changing events), the token's `ver` is compared with the account's, which user-service answers
at `GET /users/{id}/access`. Answers are cached for `TOKEN_VERSION_CACHE_SECONDS`: a demotion
reaches event-service within that time, and a burst of writes by one organizer costs one call.
"""

import uuid
from dataclasses import dataclass

import httpx

from service_kit.caching import RecentAnswers
from service_kit.errors import ServiceUnavailableError
from service_kit.retry import RetryPolicy

SERVICE = "user-service"


@dataclass(frozen=True)
class AccessState:
    role: str
    token_version: int


class AccessStates:
    """Each person's role and token version at user-service, cached for a few seconds."""

    def __init__(
        self,
        *,
        http: httpx.AsyncClient,
        base_url: str,
        auth: httpx.Auth,
        retry: RetryPolicy,
        cache_seconds: float,
    ) -> None:
        self.http = http
        self.base_url = base_url
        self.auth = auth
        self.retry = retry
        self._seen: RecentAnswers[uuid.UUID, AccessState] = RecentAnswers(ttl_seconds=cache_seconds)

    async def get(self, user_id: uuid.UUID, *, newer_than: int | None = None) -> AccessState | None:
        """The account's state (None: no such account). A cached state older than `newer_than`
        is not used: a token newer than what the cache has seen asks afresh."""
        cached = self._seen.get(user_id)
        if cached is not None and (newer_than is None or cached.token_version >= newer_than):
            return cached
        state = await self._fetch(user_id)
        if state is not None:
            self._seen.put(user_id, state)
        return state

    async def _fetch(self, user_id: uuid.UUID) -> AccessState | None:
        try:
            response = await self.retry.send(
                self.http, "GET", f"{self.base_url}/users/{user_id}/access", auth=self.auth
            )
        except httpx.HTTPError as exc:
            raise _unavailable(f"user-service did not answer ({type(exc).__name__}).") from exc
        except ServiceUnavailableError as exc:  # no service token could be had
            raise _unavailable(str(exc.detail or exc)) from exc
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise _unavailable(f"user-service answered {response.status_code}.")
        body = response.json()
        return AccessState(role=str(body["role"]), token_version=int(body["token_version"]))


def _unavailable(detail: str) -> ServiceUnavailableError:
    return ServiceUnavailableError(
        f"Cannot check the access token with user-service: {detail}",
        headers={"Retry-After": "5"},
        dependency=SERVICE,
    )
