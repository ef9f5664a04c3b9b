from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI


@asynccontextmanager
async def running_client(
    app: FastAPI, base_url: str = "http://testserver"
) -> AsyncIterator[httpx.AsyncClient]:
    """Run the app's lifespan and talk to it in-process through httpx's ASGI transport."""
    async with app.router.lifespan_context(app), client_of(app, base_url=base_url) as client:
        yield client


@asynccontextmanager
async def client_of(
    app: FastAPI, *, address: str = "127.0.0.1", base_url: str = "http://testserver"
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app whose lifespan already runs, calling from `address`."""
    transport = httpx.ASGITransport(app=app, client=(address, 40123))
    async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
        yield client
