"""A demoted organizer's token stops working for event writes: its `ver` is checked at
user-service (`GET /users/{id}/access`), cached for `TOKEN_VERSION_CACHE_SECONDS`."""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from event_service.main import create_app
from tests.fixtures.events import EventSettingsFactory
from tests.utils.asgi import running_client
from tests.utils.events import event_body
from tests.utils.faults import FaultyTransport
from tests.utils.routing import RoutingTransport
from tests.utils.users import TestUser, assert_problem, bearer, login

USER_SERVICE_URL = "http://localhost:8000"


@asynccontextmanager
async def _events(
    make_event_settings: EventSettingsFactory,
    user_app: FastAPI,
    *,
    cache_seconds: float,
    user_service: Callable[[httpx.AsyncBaseTransport], httpx.AsyncBaseTransport] = lambda t: t,
) -> AsyncIterator[httpx.AsyncClient]:
    routes = RoutingTransport()
    routes.add(USER_SERVICE_URL, user_service(httpx.ASGITransport(app=user_app)))
    settings = make_event_settings(
        token_version_cache_seconds=cache_seconds, http_retry_budget_seconds=0.5
    )
    async with running_client(create_app(settings, http_transport=routes)) as client:
        yield client


async def _set_role(
    users: httpx.AsyncClient, admin_token: str, person: TestUser, role: str
) -> None:
    response = await users.patch(
        f"/users/{person.id}/role", json={"role": role}, headers=bearer(admin_token)
    )
    assert response.status_code == 200, response.text


async def test_a_demoted_organizer_can_no_longer_create_or_change_events(
    make_event_settings: EventSettingsFactory,
    user_app: FastAPI,
    users_client: httpx.AsyncClient,
    admin_token: str,
    organizer: TestUser,
) -> None:
    async with _events(make_event_settings, user_app, cache_seconds=0) as events:
        created = await events.post("/events", json=event_body(), headers=organizer.headers)
        assert created.status_code == 201
        event_id = created.json()["id"]

        await _set_role(users_client, admin_token, organizer, "user")

        refused = await events.post("/events", json=event_body(), headers=organizer.headers)
        edit = await events.patch(
            f"/events/{event_id}", json={"title": "Mine still?"}, headers=organizer.headers
        )
        cancel = await events.post(f"/events/{event_id}/cancel", headers=organizer.headers)
        fresh = await login(users_client, organizer.email, organizer.password)
        as_user = await events.post("/events", json=event_body(), headers=bearer(fresh))

    body = assert_problem(refused, 401)
    assert body["type"] == "urn:event-booking:problem:token-outdated"
    assert refused.headers["www-authenticate"] == "Bearer"
    assert_problem(edit, 401)
    assert_problem(cancel, 401)
    assert_problem(as_user, 403)


async def test_a_demotion_reaches_event_service_within_the_cache_time(
    make_event_settings: EventSettingsFactory,
    user_app: FastAPI,
    users_client: httpx.AsyncClient,
    admin_token: str,
    organizer: TestUser,
) -> None:
    async with _events(make_event_settings, user_app, cache_seconds=1) as events:
        assert (
            await events.post("/events", json=event_body(), headers=organizer.headers)
        ).status_code == 201
        await _set_role(users_client, admin_token, organizer, "user")

        # The trade-off of the cache: for up to a second the old answer stands.
        within = await events.post("/events", json=event_body(), headers=organizer.headers)
        await asyncio.sleep(1.1)
        after = await events.post("/events", json=event_body(), headers=organizer.headers)

    assert within.status_code == 201
    assert_problem(after, 401)


async def test_a_token_newer_than_the_cache_asks_user_service_afresh(
    make_event_settings: EventSettingsFactory,
    user_app: FastAPI,
    users_client: httpx.AsyncClient,
    admin_token: str,
    organizer: TestUser,
) -> None:
    async with _events(make_event_settings, user_app, cache_seconds=60) as events:
        old_token = organizer.token
        assert (
            await events.post("/events", json=event_body(), headers=bearer(old_token))
        ).status_code == 201
        await _set_role(users_client, admin_token, organizer, "user")
        await _set_role(users_client, admin_token, organizer, "organizer")
        new_token = await login(users_client, organizer.email, organizer.password)

        with_new = await events.post("/events", json=event_body(), headers=bearer(new_token))
        with_old = await events.post("/events", json=event_body(), headers=bearer(old_token))

    assert with_new.status_code == 201
    assert_problem(with_old, 401)


async def test_event_writes_answer_503_while_user_service_cannot_say(
    make_event_settings: EventSettingsFactory, user_app: FastAPI, organizer: TestUser
) -> None:
    faulty: list[FaultyTransport] = []

    def breakable(inner: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
        faulty.append(FaultyTransport(inner))
        return faulty[0]

    async with _events(
        make_event_settings, user_app, cache_seconds=0, user_service=breakable
    ) as events:
        assert (
            await events.post("/events", json=event_body(), headers=organizer.headers)
        ).status_code == 201
        faulty[0].fail("down")
        refused = await events.post("/events", json=event_body(), headers=organizer.headers)
        reads = await events.get("/events")

    body = assert_problem(refused, 503)
    assert body["dependency"] == "user-service"
    assert int(refused.headers["retry-after"]) > 0
    assert reads.status_code == 200


async def test_service_tokens_change_tickets_without_a_version_check(
    make_event_settings: EventSettingsFactory,
    user_app: FastAPI,
    organizer: TestUser,
    service_headers: dict[str, str],
) -> None:
    faulty: list[FaultyTransport] = []

    def breakable(inner: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
        faulty.append(FaultyTransport(inner))
        return faulty[0]

    async with _events(
        make_event_settings, user_app, cache_seconds=0, user_service=breakable
    ) as events:
        event = (await events.post("/events", json=event_body(), headers=organizer.headers)).json()
        faulty[0].received.clear()
        reserved = await events.put(
            f"/events/{event['id']}/update_tickets",
            json={"delta": -1, "reference": "version-check-free"},
            headers=service_headers,
        )

    assert reserved.status_code == 200
    assert faulty[0].count("GET", "/access") == 0
