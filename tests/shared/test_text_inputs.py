"""The kit refuses text no store can hold, in every input of every operation, with a 422."""

from typing import Any

import httpx
import pytest
from fastapi import APIRouter, Form

from tests.shared.kit_app import create_kit_app
from tests.utils.asgi import running_client
from tests.utils.hostile import assert_text_refused
from tests.utils.users import assert_problem

router = APIRouter(tags=["text"])


@router.post("/notes/{folder}")
async def create_note(folder: str, note: dict[str, Any], q: str | None = None) -> dict[str, Any]:
    return {"folder": folder, "note": note, "q": q}


@router.post("/forms")
async def post_form(name: str = Form()) -> dict[str, str]:
    return {"name": name}


@pytest.fixture
async def client() -> Any:
    async with running_client(create_kit_app(routers=(router,))) as client:
        yield client


async def test_json_string_with_nul_is_422_naming_the_field(client: httpx.AsyncClient) -> None:
    response = await client.post("/notes/inbox", json={"title": "a\x00b"})

    assert_text_refused(response, "body.title")


async def test_nested_json_key_with_control_character_is_422_naming_its_object(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/notes/inbox", json={"data": {"k\x1b": "v"}})

    assert_text_refused(response, "body.data.[key]")


async def test_json_string_in_a_list_with_c1_control_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post("/notes/inbox", json={"tags": ["ok", "bad\x85"]})

    assert_text_refused(response, "body.tags.1")


async def test_json_lone_surrogate_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/notes/inbox",
        content=b'{"title": "\\ud800"}',
        headers={"content-type": "application/json"},
    )

    assert_text_refused(response, "body.title", "lone_surrogate")


async def test_tab_and_newline_in_text_are_accepted(client: httpx.AsyncClient) -> None:
    response = await client.post("/notes/inbox", json={"body": "line one\n\tline two"})

    assert response.status_code == 200, response.text
    assert response.json()["note"] == {"body": "line one\n\tline two"}


async def test_query_parameter_with_nul_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post("/notes/inbox", params={"q": "x\x00"}, json={})

    assert_text_refused(response, "query.q")


async def test_path_parameter_with_nul_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post("/notes/in%00box", json={})

    assert_text_refused(response, "path.folder")


async def test_form_field_with_control_character_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post("/forms", data={"name": "a\x07"})

    assert_text_refused(response, "body.name")


async def test_refused_value_is_not_echoed(client: httpx.AsyncClient) -> None:
    response = await client.post("/notes/inbox", json={"password": "hunter2\x00"})

    assert "hunter2" not in response.text


async def test_json_body_not_utf8_is_malformed_json_422(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/notes/inbox",
        content='{"title": "caf\xe9"}'.encode("latin-1"),
        headers={"content-type": "application/json"},
    )

    problem = assert_problem(response, 422)
    assert problem["type"] == "urn:event-booking:problem:malformed-json"
    assert "not UTF-8" in str(problem["detail"])
