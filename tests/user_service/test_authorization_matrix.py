"""Who may call what: every protected endpoint against every kind of caller."""

import httpx
import pytest

from tests.utils.users import TestUser, bearer, create_user, service_token

CALLERS = ("anonymous", "user", "organizer", "admin", "service")

# (method, path template, body) -> expected status per caller, in CALLERS order.
MATRIX = [
    (("GET", "/users/me", None), (401, 200, 200, 200, 403)),
    (("PATCH", "/users/me", {"full_name": "Renamed"}), (401, 200, 200, 200, 403)),
    (("GET", "/users/{target}", None), (401, 403, 403, 200, 200)),
    (("GET", "/users", None), (401, 403, 403, 200, 200)),
    (("PATCH", "/users/{target}/role", {"role": "user"}), (401, 403, 403, 200, 403)),
]


@pytest.fixture
async def caller_headers(
    client: httpx.AsyncClient, user: TestUser, organizer: TestUser, admin_token: str
) -> dict[str, dict[str, str]]:
    return {
        "anonymous": {},
        "user": user.headers,
        "organizer": organizer.headers,
        "admin": bearer(admin_token),
        "service": bearer(await service_token(client)),
    }


@pytest.mark.parametrize(
    ("request_spec", "expected"), MATRIX, ids=[f"{m} {p}" for (m, p, _), _ in MATRIX]
)
async def test_endpoint_answers_each_caller_as_specified(
    client: httpx.AsyncClient,
    caller_headers: dict[str, dict[str, str]],
    request_spec: tuple[str, str, object],
    expected: tuple[int, ...],
) -> None:
    method, template, body = request_spec
    target = await create_user(client)
    path = template.format(target=target.id)

    statuses = {}
    for caller in CALLERS:
        response = await client.request(method, path, json=body, headers=caller_headers[caller])
        statuses[caller] = response.status_code

    assert statuses == dict(zip(CALLERS, expected, strict=True))
