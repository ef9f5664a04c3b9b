"""A recording stand-in for notification-service's `POST /notifications`.

It keeps one notification per (user, dedupe_key), as notification-service promises, and counts
every delivery attempt, so tests can see both "delivered once" and "retried".
"""

from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


class RecordingNotifications:
    def __init__(self) -> None:
        self.stored: dict[tuple[str, str], dict[str, Any]] = {}
        self.posts = 0
        self.app = Starlette(routes=[Route("/notifications", self._post, methods=["POST"])])

    async def _post(self, request: Request) -> JSONResponse:
        self.posts += 1
        if not request.headers.get("authorization", "").startswith("Bearer "):
            return JSONResponse({"status": 401}, status_code=401)
        body = await request.json()
        key = (body["user_email"].lower(), body.get("dedupe_key") or str(self.posts))
        if key in self.stored:
            return JSONResponse(self.stored[key], status_code=200)
        self.stored[key] = body
        return JSONResponse(body, status_code=201)

    def for_booking(self, booking_id: str) -> list[dict[str, Any]]:
        return [n for n in self.stored.values() if n["data"]["booking_id"] == booking_id]
