"""Serving an ASGI app on a real port from inside the test's event loop.

In-process (unlike `tests.harness.servers.run_uvicorn`), so the app keeps test-only wiring such
as `platform_transport`, and the test can hold requests open or inspect the app.
"""

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Literal

import uvicorn
from starlette.types import ASGIApp


class _InProcessServer(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield  # leave the test runner's signal handlers alone


@asynccontextmanager
async def serve(app: ASGIApp, *, lifespan: Literal["on", "off"] = "on") -> AsyncIterator[str]:
    """Serve `app` with uvicorn on a free port in this event loop; yield its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    # log_config=None: uvicorn must not reconfigure logging for the rest of the session.
    config = uvicorn.Config(app, lifespan=lifespan, log_config=None, ws="websockets-sansio")
    server = _InProcessServer(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()
                raise AssertionError("uvicorn stopped before it started")
            await asyncio.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()
