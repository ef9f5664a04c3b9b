"""One ASGI middleware for the cross-cutting work of each request.

It assigns the request id, writes the access log line, records metrics, adds the security
headers to every response and turns an unhandled exception into a 500 problem body that reveals
nothing but the request id.
"""

import logging
import re
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service_kit.context import REQUEST_ID_HEADER, request_id_var
from service_kit.errors import problem_response
from service_kit.metrics import observe_request

access_logger = logging.getLogger("access")
error_logger = logging.getLogger("service_kit.errors")

_HEADER_NAME = REQUEST_ID_HEADER.lower().encode()
# A caller's id is honoured only when it is a sane token; anything else is replaced.
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_UNMATCHED_ROUTE = "<unmatched>"
_CSP = b"content-security-policy"
# The API answers data, never a page: nothing may load, run or frame it. A response with its own
# policy (the /docs pages) keeps it.
API_CSP = "default-src 'none'; frame-ancestors 'none'"
_SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
)


def _with_security_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    present = {name.lower() for name, _ in headers}
    added = [(name, value) for name, value in _SECURITY_HEADERS if name not in present]
    if _CSP not in present:
        added.append((_CSP, API_CSP.encode()))
    return headers + added


def _incoming_request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == _HEADER_NAME:
            candidate: str = value.decode("latin-1")
            if _VALID_REQUEST_ID.match(candidate):
                return candidate
            break
    return uuid.uuid4().hex


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, *, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request_id = _incoming_request_id(scope)
        token = request_id_var.set(request_id)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_with_request_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                headers = _with_security_headers(list(message.get("headers", [])))
                headers.append((_HEADER_NAME, request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_request_id)
        except Exception:
            error_logger.exception("unhandled error", extra={"path": scope.get("path")})
            if scope["type"] != "http" or response_started:
                raise
            status = 500
            response = problem_response(
                status=500,
                slug="internal-error",
                detail="An unexpected error occurred; quote the request id when reporting it.",
            )
            await response(scope, receive, send_with_request_id)
        finally:
            if scope["type"] == "http":
                self._record(scope, status, time.perf_counter() - started)
            request_id_var.reset(token)

    def _record(self, scope: Scope, status: int, seconds: float) -> None:
        route = scope.get("route")
        route_path = getattr(route, "path", None) or _UNMATCHED_ROUTE
        method = scope["method"]
        observe_request(
            service=self.service, method=method, route=route_path, status=status, seconds=seconds
        )
        access_logger.info(
            "%s %s %s",
            method,
            scope["path"],
            status,
            extra={
                "method": method,
                "path": scope["path"],
                "route": route_path,
                "status": status,
                "duration_ms": round(seconds * 1000, 2),
            },
        )
