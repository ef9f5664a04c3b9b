"""A limit on request bodies (`MAX_REQUEST_BYTES`), answered with the kit's 413 problem body.

A declared `Content-Length` over the limit is refused before a byte of the body is read; a body
streamed without one (chunked) is counted as it arrives and refused as soon as it passes the
limit, by raising `HTTPException(413)` from the request's `receive`, inside the route, where the
kit's handlers turn it into a problem. Starlette's own limiter answers in plain text.
"""

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service_kit.errors import problem_response

_CONTENT_LENGTH = b"content-length"


class RequestBodyLimit:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.detail = f"The request body must be at most {max_bytes} bytes."

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = next((value for name, value in scope["headers"] if name == _CONTENT_LENGTH), b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            response = problem_response(
                status=413, detail=self.detail, slug="content-too-large", instance=scope["path"]
            )
            # Closing the connection: the unread body must not be taken for the next request.
            response.headers["Connection"] = "close"
            await response(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise HTTPException(413, self.detail)
            return message

        await self.app(scope, limited_receive, send)
