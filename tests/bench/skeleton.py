"""The ceiling: the booking path's skeleton, with no logic.

`front` answers POST /bookings by doing what a booking costs at the least: one PostgreSQL insert,
then the same service-to-service calls as a real booking (the user, the ticket change, the
notification) to `upstream` processes, whose ticket change is one conditional decrement on the
MongoDB-compatible store. Same drivers (SQLAlchemy on psycopg, pymongo, httpx over the kit's
transport) as the services.

    front:    SKELETON_DATABASE_URL, SKELETON_USERS_URL, SKELETON_EVENTS_URL, SKELETON_NOTES_URL
    upstream: SKELETON_MONGO_URL, SKELETON_MONGO_DB (only the events upstream uses the store)
"""

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from bson import ObjectId
from fastapi import FastAPI, Request, Response
from pymongo import AsyncMongoClient, ReturnDocument
from sqlalchemy import text

from service_kit.settings import SqlServiceSettings
from service_kit.sql import create_engine
from service_kit.transport import PooledTransport

# The services' defaults for DATABASE_POOL_SIZE, HTTP_MAX_CONNECTIONS and
# HTTP_MAX_CONNECTIONS_PER_PEER, read from their settings so the two cannot drift apart.
_DEFAULTS = SqlServiceSettings.model_fields
POOL_SIZE: int = _DEFAULTS["database_pool_size"].default
HTTP_CONNECTIONS: int = _DEFAULTS["http_max_connections"].default
HTTP_PER_PEER: int = _DEFAULTS["http_max_connections_per_peer"].default
TABLE = """CREATE TABLE IF NOT EXISTS skeleton_bookings (
    id uuid PRIMARY KEY, event_id varchar(64) NOT NULL, tickets integer NOT NULL)"""


@asynccontextmanager
async def _front_lifespan(app: FastAPI) -> AsyncIterator[None]:
    engine = create_engine(os.environ["SKELETON_DATABASE_URL"], pool_size=POOL_SIZE)
    async with engine.begin() as connection:
        await connection.execute(text(TABLE))
    sending = PooledTransport(HTTP_CONNECTIONS, per_peer=HTTP_PER_PEER)
    async with httpx.AsyncClient(transport=sending, timeout=10) as http:
        app.state.engine, app.state.http = engine, http
        yield
    await engine.dispose()


front = FastAPI(lifespan=_front_lifespan)
upstream = FastAPI()


@front.get("/healthz")
@upstream.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@front.post("/bookings", status_code=201)
async def book(request: Request, response: Response) -> dict[str, Any]:
    body = await request.json()
    booking_id = uuid.uuid4()
    async with request.app.state.engine.begin() as connection:
        await connection.execute(
            text("INSERT INTO skeleton_bookings (id, event_id, tickets) VALUES (:id, :e, :t)"),
            {"id": booking_id, "e": body["event_id"], "t": body["tickets"]},
        )
    http: httpx.AsyncClient = request.app.state.http
    (await http.get(f"{os.environ['SKELETON_USERS_URL']}/users/{uuid.uuid4()}")).raise_for_status()
    reserved = await http.put(
        f"{os.environ['SKELETON_EVENTS_URL']}/events/{body['event_id']}/update_tickets",
        json={"delta": -body["tickets"], "reference": str(booking_id)},
    )
    if reserved.status_code != 200:
        response.status_code = reserved.status_code
        return {"reason": "insufficient"}
    notice = {"kind": "booking_confirmed", "booking_id": str(booking_id)}
    (
        await http.post(f"{os.environ['SKELETON_NOTES_URL']}/notifications", json=notice)
    ).raise_for_status()
    return {"id": str(booking_id), **reserved.json()}


@asynccontextmanager
async def _upstream_lifespan(app: FastAPI) -> AsyncIterator[None]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(os.environ["SKELETON_MONGO_URL"])
    app.state.events = client[os.environ["SKELETON_MONGO_DB"]]["events"]
    yield
    await client.close()


upstream.router.lifespan_context = _upstream_lifespan


@upstream.get("/users/{user_id}")
async def user(user_id: str) -> dict[str, str]:
    return {"id": user_id, "email": "someone@example.com"}


@upstream.put("/events/{event_id}/update_tickets")
async def update_tickets(event_id: str, request: Request, response: Response) -> dict[str, Any]:
    change = await request.json()
    event = await request.app.state.events.find_one_and_update(
        {"_id": ObjectId(event_id), "available_tickets": {"$gte": -change["delta"]}},
        {"$inc": {"available_tickets": change["delta"]}},
        return_document=ReturnDocument.AFTER,
    )
    if event is None:
        response.status_code = 409
        return {"reason": "insufficient"}
    return {"id": event_id, "available_tickets": event["available_tickets"]}


@upstream.post("/notifications", status_code=201)
async def notify(request: Request) -> dict[str, Any]:
    notice: dict[str, Any] = await request.json()
    return notice
