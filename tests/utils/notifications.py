"""A recording stand-in for notification-service's `POST /notifications`.

It keeps one notification per (user, dedupe_key), as notification-service promises, and counts
every delivery attempt, so tests can see both "delivered once" and "retried". Each payload is
checked against notification-service's own `NotificationCreate`: one it would refuse is answered
422, as it would be, and kept in `rejected`, so a change on either side of the contract fails
booking-service's tests.
"""

from typing import Any

from pydantic import TypeAdapter, ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from notification_service.schemas import NotificationCreate

CONTRACT: TypeAdapter[NotificationCreate] = TypeAdapter(NotificationCreate)


class RecordingNotifications:
    def __init__(self) -> None:
        self.stored: dict[tuple[str, str], dict[str, Any]] = {}
        self.rejected: list[tuple[dict[str, Any], str]] = []
        self.posts = 0
        self.app = Starlette(routes=[Route("/notifications", self._post, methods=["POST"])])

    async def _post(self, request: Request) -> JSONResponse:
        self.posts += 1
        if not request.headers.get("authorization", "").startswith("Bearer "):
            return JSONResponse({"status": 401}, status_code=401)
        body = await request.json()
        try:
            CONTRACT.validate_python(body)
        except ValidationError as exc:
            self.rejected.append((body, str(exc)))
            return JSONResponse({"status": 422, "detail": str(exc)}, status_code=422)
        key = (body["user_email"].lower(), body.get("dedupe_key") or str(self.posts))
        if key in self.stored:
            return JSONResponse(self.stored[key], status_code=200)
        self.stored[key] = body
        return JSONResponse(body, status_code=201)

    def for_booking(self, booking_id: str) -> list[dict[str, Any]]:
        return [n for n in self.stored.values() if n["data"]["booking_id"] == booking_id]
