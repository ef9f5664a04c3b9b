import asyncio

import httpx
import pytest

from tests.utils.users import assert_problem, full_width, random_email


def registration(email: str, **overrides: object) -> dict[str, object]:
    return {"email": email, "password": "a good password", "full_name": "Ada Lovelace", **overrides}


async def test_register_valid_user_returns_public_profile(client: httpx.AsyncClient) -> None:
    email = random_email()
    response = await client.post("/register", json=registration(email.upper(), full_name="  Ada "))

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "email", "full_name", "role", "created_at"}
    assert body["email"] == email.lower()
    assert body["full_name"] == "Ada"
    assert body["role"] == "user"


async def test_register_duplicate_email_in_other_case_conflicts(
    client: httpx.AsyncClient,
) -> None:
    email = random_email()
    first = await client.post("/register", json=registration(email))
    assert first.status_code == 201

    second = await client.post("/register", json=registration(email.upper()))

    body = assert_problem(second, 409)
    assert body["type"] == "urn:event-booking:problem:email-taken"


async def test_register_look_alike_spelling_of_a_taken_email_conflicts(
    client: httpx.AsyncClient,
) -> None:
    email = random_email()
    assert (await client.post("/register", json=registration(email))).status_code == 201

    second = await client.post("/register", json=registration(full_width(email.upper())))

    body = assert_problem(second, 409)
    assert body["type"] == "urn:event-booking:problem:email-taken"


async def test_register_look_alike_spelling_is_stored_in_its_plain_form(
    client: httpx.AsyncClient,
) -> None:
    email = random_email()

    response = await client.post("/register", json=registration(full_width(email)))

    assert response.status_code == 201, response.text
    assert response.json()["email"] == email


async def test_register_concurrent_duplicates_create_exactly_one(
    client: httpx.AsyncClient,
) -> None:
    email = random_email()
    responses = await asyncio.gather(
        *(client.post("/register", json=registration(email)) for _ in range(10))
    )

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [409] * 9
    for response in responses:
        if response.status_code == 409:
            assert_problem(response, 409)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "not-an-email"}, "body.email"),
        ({"email": "a@b"}, "body.email"),
        ({"password": "short"}, "body.password"),
        ({"password": "x" * 129}, "body.password"),
        ({"full_name": "   "}, "body.full_name"),
        ({"full_name": "x" * 101}, "body.full_name"),
        ({"full_name": 42}, "body.full_name"),
        ({"role": "admin"}, "body.role"),
    ],
)
async def test_register_invalid_input_is_rejected_with_field_errors(
    client: httpx.AsyncClient, overrides: dict[str, object], field: str
) -> None:
    email = random_email()
    response = await client.post("/register", json={**registration(email), **overrides})

    body = assert_problem(response, 422)
    errors = body["errors"]
    assert isinstance(errors, list)
    assert field in {error["field"] for error in errors}
    # Nothing was stored: the same email still registers.
    assert (await client.post("/register", json=registration(email))).status_code == 201


async def test_register_validation_error_does_not_echo_the_password(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/register", json=registration("broken", password="secret-sauce-123")
    )

    assert_problem(response, 422)
    assert "secret-sauce-123" not in response.text


async def test_register_non_json_body_is_a_problem(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/register", content=b"{not json", headers={"content-type": "application/json"}
    )

    body = assert_problem(response, 422)
    assert body["detail"] == (
        "Malformed JSON at line 1, column 2: Expecting property name enclosed in double quotes"
    )
