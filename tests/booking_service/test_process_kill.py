"""booking-service killed (SIGKILL) between the reservation and the confirmation, then started
again: its recovery confirms the booking, and every ticket is accounted for, of one ticket type
or of two in one booking.

Everything runs as real processes over TCP: user-, event- and booking-service under uvicorn.
A proxy in front of event-service forwards the reservation at once but holds its answer back,
which is when the booking process is killed.
"""

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import psycopg
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.harness.ports import free_port
from tests.harness.postgres import create_database, drop_database, unique_database_name
from tests.harness.servers import run_uvicorn, serve_uvicorn
from tests.utils.inprocess import serve

ADMIN = {"email": "kill-admin@example.com", "password": "kill admin password"}
FAST = {"ENV": "test", "PASSWORD_HASH_TIME_COST": "1", "PASSWORD_HASH_MEMORY_KIB": "1024"}


class HoldingProxy:
    """Forwards everything to event-service; holds back the answer to a ticket change."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.forwarded = asyncio.Event()
        self.released = asyncio.Event()
        self.app = Starlette(
            routes=[Route("/{path:path}", self._forward, methods=["GET", "PUT", "POST", "PATCH"])]
        )

    async def _forward(self, request: Request) -> Response:
        async with httpx.AsyncClient(base_url=self.target) as client:
            upstream = await client.request(
                request.method,
                request.url.path,
                params=request.query_params,
                content=await request.body(),
                headers={k: v for k, v in request.headers.items() if k.lower() != "host"},
            )
        if request.url.path.endswith("/update_tickets"):
            self.forwarded.set()
            await self.released.wait()  # the caller is killed meanwhile
        return Response(
            upstream.content, upstream.status_code, media_type=upstream.headers.get("content-type")
        )


@pytest.fixture(scope="module")
def databases(postgres_admin_url: str) -> Iterator[dict[str, str]]:
    names = {
        "users": unique_database_name("kill_users"),
        "bookings": unique_database_name("kill_bookings"),
    }
    urls = {key: create_database(postgres_admin_url, name) for key, name in names.items()}
    yield urls
    for name in names.values():
        drop_database(postgres_admin_url, name)


@pytest.fixture(scope="module")
def services(
    databases: dict[str, str], mongo_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    with ExitStack() as stack:
        users = stack.enter_context(
            run_uvicorn(
                "user-service.app:app",
                env={
                    **FAST,
                    "USER_DATABASE_URL": databases["users"],
                    "JWT_DEV_KEY_FILE": str(tmp_path_factory.mktemp("kill") / "key.pem"),
                    "ADMIN_EMAIL": ADMIN["email"],
                    "ADMIN_PASSWORD": ADMIN["password"],
                },
            )
        )
        events = stack.enter_context(
            run_uvicorn(
                "event-service.app:app",
                env={
                    **FAST,
                    "MONGO_URL": mongo_url,
                    "EVENT_MONGO_DB": f"kill_{uuid.uuid4().hex[:8]}",
                    "USER_SERVICE_URL": users,
                },
            )
        )
        yield {"users": users, "events": events}


def _booking_env(
    databases: dict[str, str], users: str, events: str, **extra: str
) -> dict[str, str]:
    return {
        **FAST,
        "BOOKING_DATABASE_URL": databases["bookings"],
        "USER_SERVICE_URL": users,
        "EVENT_SERVICE_URL": events,
        "NOTIFICATION_SERVICE_URL": f"http://127.0.0.1:{free_port()}",
        **extra,
    }


def _booking_row(database_url: str, booking_id: str) -> tuple[Any, ...] | None:
    with psycopg.connect(database_url) as connection:
        return connection.execute(
            "SELECT status, tickets FROM bookings WHERE id = %s", (booking_id,)
        ).fetchone()


def _pending_bookings(database_url: str) -> list[str]:
    with psycopg.connect(database_url) as connection:
        rows = connection.execute("SELECT id FROM bookings WHERE status = 'pending'").fetchall()
    return [str(row[0]) for row in rows]


@pytest.fixture
async def tokens(services: dict[str, str]) -> AsyncIterator[dict[str, str]]:
    async with httpx.AsyncClient(base_url=services["users"]) as users:
        email = f"kill-{uuid.uuid4().hex[:8]}@example.com"
        await users.post(
            "/register", json={"email": email, "password": "kill password", "full_name": "K"}
        )
        user = await users.post("/login", json={"email": email, "password": "kill password"})
        admin = await users.post("/login", json=ADMIN)
        yield {"user": user.json()["access_token"], "admin": admin.json()["access_token"]}


TWO_TYPES = [{"name": "Floor", "capacity": 6}, {"name": "Seated", "capacity": 4}]


@pytest.mark.parametrize("two_types", [False, True], ids=["one type", "two types"])
async def test_killed_between_reservation_and_confirmation_recovers_on_restart(
    databases: dict[str, str],
    services: dict[str, str],
    tokens: dict[str, str],
    two_types: bool,
) -> None:
    async with httpx.AsyncClient(base_url=services["events"]) as events:
        created = await events.post(
            "/events",
            headers={"Authorization": f"Bearer {tokens['admin']}"},
            json={
                "title": "Kill test",
                "venue": "Loopback",
                "starts_at": (datetime.now(UTC) + timedelta(days=3)).isoformat(),
                **({"ticket_types": TWO_TYPES} if two_types else {"total_tickets": 10}),
            },
        )
        event_id = created.json()["id"]
        type_ids = [kind["id"] for kind in created.json()["ticket_types"]]
    # 3 tickets: of the one type, or 2 floor and 1 seated.
    order: dict[str, Any] = (
        {
            "items": [
                {"ticket_type_id": type_ids[0], "quantity": 2},
                {"ticket_type_id": type_ids[1], "quantity": 1},
            ]
        }
        if two_types
        else {"tickets": 3}
    )

    proxy = HoldingProxy(services["events"])
    async with serve(proxy.app, lifespan="off") as proxy_url:
        env = _booking_env(databases, services["users"], proxy_url)
        with serve_uvicorn("booking-service.app:app", env=env) as doomed:
            async with httpx.AsyncClient(base_url=doomed.url, timeout=60) as client:
                attempt = asyncio.create_task(
                    client.post(
                        "/bookings",
                        json={"event_id": event_id, **order},
                        headers={"Authorization": f"Bearer {tokens['user']}"},
                    )
                )
                await asyncio.wait_for(proxy.forwarded.wait(), 20)
                doomed.process.kill()
                doomed.process.wait(10)
                with pytest.raises(httpx.HTTPError):
                    await attempt
        proxy.released.set()

    [booking_id] = _pending_bookings(databases["bookings"])
    async with httpx.AsyncClient(base_url=services["events"]) as events:
        held = (await events.get(f"/events/{event_id}")).json()["available_tickets"]
    assert held == 7  # reserved at event-service, not yet confirmed

    restarted_env = _booking_env(
        databases,
        services["users"],
        services["events"],
        RECOVERY_GRACE_SECONDS="0.5",
        RECOVERY_INTERVAL_SECONDS="0.2",
    )
    started = time.perf_counter()
    with serve_uvicorn("booking-service.app:app", env=restarted_env):
        while (_booking_row(databases["bookings"], booking_id) or ("?",))[0] == "pending":
            assert time.perf_counter() - started < 30, "recovery did not settle the booking"
            await asyncio.sleep(0.05)
        recovered_after = time.perf_counter() - started

    assert _booking_row(databases["bookings"], booking_id) == ("confirmed", 3)
    async with httpx.AsyncClient(base_url=services["events"]) as events:
        event = (await events.get(f"/events/{event_id}")).json()
    assert event["total_tickets"] - event["available_tickets"] == 3
    sold = [kind["capacity"] - kind["available"] for kind in event["ticket_types"]]
    assert sold == ([2, 1] if two_types else [3])
    with psycopg.connect(databases["bookings"]) as connection:
        row = connection.execute("SELECT items FROM bookings WHERE id = %s", (booking_id,))
        [items] = row.fetchone() or (None,)
    assert [(item["name"], item["quantity"]) for item in items] == (
        [("Floor", 2), ("Seated", 1)] if two_types else [("Admission", 3)]
    )
    print(
        f"\nrestarted booking-service confirmed the interrupted booking "
        f"{recovered_after:.2f}s after start (including process start-up)"
    )
