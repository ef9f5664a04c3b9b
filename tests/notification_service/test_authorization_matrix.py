"""Who may call what: every notification endpoint against every kind of caller."""

import httpx
import pytest

from tests.notification_service.helpers import booking_payload, post_notification
from tests.utils.users import TestUser, bearer, create_user, service_token

CALLERS = ("anonymous", "recipient", "other user", "organizer", "admin", "service")

# (method, path template, body) -> expected status per caller, in CALLERS order.
MATRIX = [
    (("POST", "/notifications", "payload"), (401, 403, 403, 403, 201, 201)),
    (("GET", "/notifications/{email}", None), (401, 200, 403, 403, 200, 403)),
    (("POST", "/notifications/{id}/read", None), (401, 200, 403, 403, 200, 403)),
    (("POST", "/notifications/{email}/read-all", None), (401, 200, 403, 403, 200, 403)),
]


@pytest.fixture(scope="module")
async def caller_headers(
    users_client: httpx.AsyncClient, admin_token: str
) -> dict[str, dict[str, str]]:
    """The callers other than the recipient, shared by the module (accounts are not cheap)."""
    other_user = await create_user(users_client)
    organizer = await create_user(users_client, role="organizer", admin_token=admin_token)
    return {
        "anonymous": {},
        "other user": other_user.headers,
        "organizer": organizer.headers,
        "admin": bearer(admin_token),
        "service": bearer(await service_token(users_client)),
    }


@pytest.mark.parametrize(
    ("request_spec", "expected"), MATRIX, ids=[f"{m} {p}" for (m, p, _), _ in MATRIX]
)
async def test_endpoint_answers_each_caller_as_specified(
    notifications_client: httpx.AsyncClient,
    users_client: httpx.AsyncClient,
    service_headers: dict[str, str],
    caller_headers: dict[str, dict[str, str]],
    request_spec: tuple[str, str, str | None],
    expected: tuple[int, ...],
) -> None:
    method, template, body = request_spec
    recipient = await create_user(users_client)
    headers = {**caller_headers, "recipient": recipient.headers}
    notification = await post_notification(
        notifications_client, service_headers, booking_payload(recipient.email)
    )
    path = template.format(email=recipient.email, id=notification["id"])
    payload = booking_payload(recipient.email) if body == "payload" else None

    statuses = {}
    for caller in CALLERS:
        response = await notifications_client.request(
            method, path, json=payload, headers=headers[caller]
        )
        statuses[caller] = response.status_code

    assert statuses == dict(zip(CALLERS, expected, strict=True))


async def test_forbidden_answers_are_problem_bodies(
    notifications_client: httpx.AsyncClient, user: TestUser, other_user: TestUser
) -> None:
    response = await notifications_client.get(
        f"/notifications/{other_user.email}", headers=user.headers
    )

    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == (
        "Only the recipient or an admin may see these notifications."
    )
