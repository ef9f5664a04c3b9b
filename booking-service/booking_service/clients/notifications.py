from typing import Any

import httpx

from service_kit.service_auth import ServiceTokenError

SERVICE = "notification-service"


class DeliveryError(Exception):
    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


class NotificationsClient:
    def __init__(self, *, http: httpx.AsyncClient, base_url: str, auth: httpx.Auth) -> None:
        self.http = http
        self.base_url = base_url
        self.auth = auth

    async def send(self, payload: dict[str, Any]) -> None:
        """Store (and email) one notification; a repeat with its dedupe_key is harmless.

        One attempt: the outbox relay is what retries a delivery.
        """
        try:
            response = await self.http.post(
                f"{self.base_url}/notifications", json=payload, auth=self.auth
            )
        except httpx.HTTPError as exc:
            raise DeliveryError(
                f"{SERVICE} unreachable: {type(exc).__name__}", permanent=False
            ) from exc
        except ServiceTokenError as exc:
            raise DeliveryError(f"no service token: {exc}", permanent=False) from exc
        if response.status_code in (200, 201):
            return
        retryable = response.status_code >= 500 or response.status_code in (401, 408, 429)
        raise DeliveryError(
            f"{SERVICE} answered {response.status_code}: {response.text[:200]}",
            permanent=not retryable,
        )
