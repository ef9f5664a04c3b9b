"""Building users and tokens through the real API."""

import uuid
from dataclasses import dataclass

import httpx

DEFAULT_PASSWORD = "correct horse battery"
ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "admin password 1"


def random_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class TestUser:
    __test__ = False

    id: str
    email: str
    password: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.token)


async def login(client: httpx.AsyncClient, email: str, password: str) -> str:
    response = await client.post("/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


async def create_user(
    client: httpx.AsyncClient,
    *,
    role: str = "user",
    admin_token: str | None = None,
    email: str | None = None,
    password: str = DEFAULT_PASSWORD,
) -> TestUser:
    email = email or random_email(role)
    response = await client.post(
        "/register", json={"email": email, "password": password, "full_name": "Test Person"}
    )
    assert response.status_code == 201, response.text
    user_id = response.json()["id"]
    if role != "user":
        assert admin_token is not None, "promoting a user needs an admin token"
        promoted = await client.patch(
            f"/users/{user_id}/role", json={"role": role}, headers=bearer(admin_token)
        )
        assert promoted.status_code == 200, promoted.text
    return TestUser(
        id=user_id, email=email, password=password, token=await login(client, email, password)
    )


async def service_token(client: httpx.AsyncClient, client_id: str = "booking-service") -> str:
    response = await client.post(
        "/token",
        data={
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": f"dev-{client_id}-secret",
        },
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def assert_problem(response: httpx.Response, status: int) -> dict[str, object]:
    """The response is an RFC 9457 problem body with this status."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, object] = response.json()
    assert body["status"] == status
    assert isinstance(body["title"], str)
    assert body["title"]
    assert "type" in body
    return body


def assert_invalid_field(response: httpx.Response, field: str) -> list[dict[str, str]]:
    """A 422 problem naming `field` (`body.currency`, `query.offset`); the errors about it."""
    body = assert_problem(response, 422)
    errors = body["errors"]
    assert isinstance(errors, list)
    about = [error for error in errors if error["field"] == field]
    assert about, f"{field} not among {[error['field'] for error in errors]}"
    return about


def full_width(text: str) -> str:
    """`text` in full-width forms (U+FF41 for `a`, U+FF20 for `@`): one address, respelled."""
    return "".join(chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char for char in text)
