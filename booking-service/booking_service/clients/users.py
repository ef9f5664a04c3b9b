import uuid
from dataclasses import dataclass

import httpx

from booking_service.clients.errors import (
    DependencyRefusedError,
    DependencyUnavailableError,
    UserNotFoundError,
    refused_for_good,
)
from service_kit.caching import RecentAnswers
from service_kit.retry import Deadline, RetryPolicy

SERVICE = "user-service"


@dataclass(frozen=True)
class UserInfo:
    id: uuid.UUID
    email: str


class UsersClient:
    def __init__(
        self,
        *,
        http: httpx.AsyncClient,
        base_url: str,
        auth: httpx.Auth,
        retry: RetryPolicy,
        cache_seconds: float = 0,
    ) -> None:
        self.http = http
        self.base_url = base_url
        self.auth = auth
        self.retry = retry
        self._found: RecentAnswers[uuid.UUID, UserInfo] = RecentAnswers(ttl_seconds=cache_seconds)

    async def get_user(self, user_id: uuid.UUID, *, deadline: Deadline | None = None) -> UserInfo:
        """The user, by `deadline` (default: the retry policy's budget from now).

        A user found in the last `cache_seconds` is not asked for again; an unknown one is.
        """
        cached = self._found.get(user_id)
        if cached is not None:
            return cached
        user = await self._fetch(user_id, deadline=deadline)
        self._found.put(user_id, user)
        return user

    async def _fetch(self, user_id: uuid.UUID, *, deadline: Deadline | None) -> UserInfo:
        try:
            response = await self.retry.send(
                self.http,
                "GET",
                f"{self.base_url}/users/{user_id}",
                auth=self.auth,
                deadline=deadline,
            )
        except httpx.HTTPError as exc:
            raise DependencyUnavailableError(
                SERVICE, f"user-service did not answer ({type(exc).__name__})."
            ) from exc
        if response.status_code == 404:
            raise UserNotFoundError(f"No user with id {user_id}.")
        if refused_for_good(response.status_code):
            raise DependencyRefusedError(
                SERVICE, f"user-service refused the user lookup ({response.status_code})."
            )
        if response.status_code != 200:
            raise DependencyUnavailableError(
                SERVICE, f"user-service answered {response.status_code} for the user lookup."
            )
        body = response.json()
        return UserInfo(id=uuid.UUID(body["id"]), email=body["email"])
