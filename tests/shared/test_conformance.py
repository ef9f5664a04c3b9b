"""The session's conformance check: answers missing from an OpenAPI document fail the run."""

import os
from pathlib import Path

import pytest

from tests.fixtures.conformance import TrafficRecorder
from tests.shared.kit_app import create_kit_app
from tests.utils.asgi import running_client

REPOSITORY = Path(__file__).resolve().parents[2]

PROBE = """
from fastapi import APIRouter

from service_kit.errors import ConflictError
from tests.shared.kit_app import create_kit_app
from tests.utils.asgi import running_client

router = APIRouter(tags=["probe"])


@router.post("/probe/{name}", responses={404: {"description": "No such probe"}})
async def probe(name: str) -> None:
    raise ConflictError("documented are 200, 404, 422 and 500, not 409")


async def test_probe_answers_409() -> None:
    app = create_kit_app()
    app.include_router(router)
    async with running_client(app) as client:
        assert (await client.post("/probe/one")).status_code == 409
        assert (await client.get("/boom")).status_code == 500
"""


async def test_recorder_keeps_each_answer_an_operation_gave(
    traffic_recorder: TrafficRecorder,
) -> None:
    app = create_kit_app()
    async with running_client(app) as client:
        await client.get("/items/1")
        await client.get("/items/one")
        await client.get("/nowhere")
        await client.delete("/items/1")
        await client.get("/metrics")

    assert traffic_recorder.answers(app) == {
        ("GET", "/items/{item_id}", 200),
        ("GET", "/items/{item_id}", 422),
    }


def test_session_with_an_undocumented_answer_fails_and_names_it(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = [str(REPOSITORY), *filter(None, [os.environ.get("PYTHONPATH")])]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(paths))
    pytester.makepyfile(test_probe=PROBE)

    result = pytester.runpytest_subprocess(
        "-p", "tests.fixtures.conformance", "-o", "asyncio_mode=auto", "-p", "no:cacheprovider"
    )

    result.assert_outcomes(passed=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "*answers missing from the OpenAPI documents*",
            "kit-test POST /probe/{name} answered 409, undocumented "
            "(the document lists: 200, 404, 422, 500)",
        ]
    )
    assert "answered 500" not in result.stdout.str()
