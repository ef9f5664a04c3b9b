"""`WS /ws/notifications`: a user's new notifications, pushed the moment they are stored.

Browsers cannot set `Authorization` on a WebSocket, so the access token comes as the query
parameter `token` or as the second entry of `Sec-WebSocket-Protocol: bearer, <token>` (the
server then accepts the `bearer` subprotocol). A refused token closes the socket with 4401
before any message; a token that expires while connected closes it with 4401 then. Messages
are JSON `LiveMessage`s: `subscribed` first, then `notification`s, and a `heartbeat` whenever
the socket has been quiet for `WS_HEARTBEAT_SECONDS`.

A browser's handshake carries `Origin`: one not in `CORS_ORIGINS` is refused before the
socket opens (HTTP 403), so another site cannot open a feed with a visitor's credentials.
Clients that are not browsers send no `Origin` and are let in. Each user may hold at most
`WS_MAX_SOCKETS_PER_USER` sockets on one process: the newest one past that is accepted and
closed at once with 4429 (the open ones are kept).
"""

import asyncio
import logging
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from notification_service.push.hub import NotificationHub, Subscription
from notification_service.schemas import LiveMessage
from service_kit.auth import Principal, TokenVerifier
from service_kit.clock import utcnow_ms
from service_kit.errors import ServiceUnavailableError, UnauthorizedError
from service_kit.fields import normalize_email

logger = logging.getLogger(__name__)

router = APIRouter(tags=["live"])

BEARER_SUBPROTOCOL = "bearer"


@dataclass(frozen=True)
class Closing:
    code: int
    reason: str


UNAUTHORIZED = 4401
FORBIDDEN = Closing(4403, "only people have notifications; this token is a service's")
EXPIRED = Closing(UNAUTHORIZED, "the access token has expired; reconnect with a fresh one")
UNAVAILABLE = Closing(1013, "cannot verify tokens right now; try again shortly")
RESTARTING = Closing(1012, "the service is restarting; reconnect")
TOO_SLOW = Closing(1013, "too far behind; reconnect and reload the inbox")
TOO_MANY = Closing(4429, "too many live connections for this user; close one, or poll")


def _origin_allowed(websocket: WebSocket, allowed: list[str]) -> bool:
    """No `Origin` (not a browser), or one of the allowed origins."""
    origin = websocket.headers.get("origin")
    if origin is None or "*" in allowed:
        return True
    normalised = {entry.rstrip("/").lower() for entry in allowed}
    return origin.rstrip("/").lower() in normalised


def _offered_token(websocket: WebSocket) -> tuple[str | None, str | None]:
    """The token, and the subprotocol to accept (a client that offers one must get one)."""
    offered: list[str] = websocket.scope.get("subprotocols") or []
    subprotocol = BEARER_SUBPROTOCOL if BEARER_SUBPROTOCOL in offered else None
    if len(offered) >= 2 and offered[0] == BEARER_SUBPROTOCOL:
        return offered[1], subprotocol
    return websocket.query_params.get("token"), subprotocol


async def _authenticate(verifier: TokenVerifier, token: str | None) -> Principal | Closing:
    if not token:
        return Closing(UNAUTHORIZED, "sign in: pass the access token as `token` or subprotocol")
    try:
        principal = await verifier.verify(token)
    except UnauthorizedError as exc:
        return Closing(UNAUTHORIZED, str(exc.detail or "the access token is invalid"))
    except ServiceUnavailableError:
        return UNAVAILABLE
    if principal.email is None:
        return FORBIDDEN
    return principal


def _message(kind: str, **fields: object) -> str:
    message = LiveMessage.model_validate({"type": kind, "at": utcnow_ms(), **fields})
    # Fields of other message kinds are left out; a notification keeps its every field.
    return message.model_dump_json(exclude_unset=True)


async def _push(websocket: WebSocket, subscription: Subscription, heartbeat: float) -> None:
    """Runs until cancelled, or until sending fails because the client vanished."""
    while True:
        try:
            notification = await asyncio.wait_for(subscription.queue.get(), heartbeat)
        except TimeoutError:
            await websocket.send_text(_message("heartbeat"))
        else:
            await websocket.send_text(_message("notification", notification=notification))


async def _until_disconnected(websocket: WebSocket) -> None:
    """Client messages carry nothing; reading them notices the client leaving."""
    while (await websocket.receive())["type"] != "websocket.disconnect":
        pass


async def _after(seconds: float, closing: Closing) -> Closing:
    await asyncio.sleep(max(seconds, 0))
    return closing


async def _when(event: asyncio.Event, closing: Closing) -> Closing:
    await event.wait()
    return closing


async def _serve(
    websocket: WebSocket,
    hub: NotificationHub,
    principal: Principal,
    *,
    heartbeat: float,
    max_sockets: int,
) -> Closing | None:
    """Push until the client leaves (None) or the server must close the socket (why)."""
    email = normalize_email(principal.email or "")
    expires_in = float(principal.claims.get("exp", 0)) - time.time()
    # Counted and subscribed with no await between, so sockets racing in cannot both pass.
    if hub.subscriptions_of(email) >= max_sockets:
        return TOO_MANY
    with hub.subscribe(email) as subscription:
        await websocket.send_text(_message("subscribed", user_email=email))
        waits: list[Coroutine[Any, Any, Closing | None]] = [
            _push(websocket, subscription, heartbeat),
            _until_disconnected(websocket),
            _after(expires_in, EXPIRED),
            _when(hub.closing, RESTARTING),
            _when(subscription.lost, TOO_SLOW),
        ]
        tasks = [asyncio.create_task(wait) for wait in waits]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        first = done.pop()
        if first.cancelled() or first.exception() is not None:
            return None  # the client vanished mid-send
        return first.result()


@router.websocket("/ws/notifications", name="live_notifications")
async def live_notifications(websocket: WebSocket) -> None:
    settings = websocket.app.state.settings
    if not _origin_allowed(websocket, settings.cors_origins):
        logger.warning("refused a live socket from origin %s", websocket.headers.get("origin"))
        await websocket.close(1008)  # before accepting: the handshake is answered 403
        return
    token, subprotocol = _offered_token(websocket)
    identity = await _authenticate(websocket.app.state.token_verifier, token)
    await websocket.accept(subprotocol=subprotocol)
    if isinstance(identity, Closing):
        await websocket.close(identity.code, identity.reason[:120])
        return
    try:
        closing = await _serve(
            websocket,
            websocket.app.state.hub,
            identity,
            heartbeat=settings.ws_heartbeat_seconds,
            max_sockets=settings.ws_max_sockets_per_user,
        )
    except WebSocketDisconnect:
        return
    if closing is not None:
        await websocket.close(closing.code, closing.reason)
