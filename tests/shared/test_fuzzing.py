"""The fuzzer (tests/utils/fuzz.py) reports each kind of fault it is there to find."""

from collections.abc import Iterator

import pytest
import requests

from tests.harness.servers import run_uvicorn
from tests.utils.fuzz import Pass, Target, fuzz_operation, load_schema, operations, passes


@pytest.fixture(scope="module")
def faulty_app_url() -> Iterator[str]:
    with run_uvicorn("tests.shared.fuzz_target_app:app", env={"LOG_LEVEL": "WARNING"}) as url:
        yield url


def _findings(base_url: str, path: str) -> dict[str, str]:
    """What each pass over the operation at `path` found: its report, by kind of pass."""
    found = {}
    with requests.Session() as session:
        session.trust_env = False
        target = Target(base_url, {}, session)
        (operation,) = [op for op in operations(load_schema(base_url)) if op.path == path]
        planned: list[Pass] = passes(operation, {})
        for one in planned:
            finding = fuzz_operation(operation, target, one, max_examples=15)
            if finding is not None:
                found[one.kind] = finding.report
    return found


def test_fuzzing_an_operation_that_crashes_reports_the_server_error(faulty_app_url: str) -> None:
    found = _findings(faulty_app_url, "/crash/{number}")

    assert "Server error" in found["valid"]


def test_fuzzing_an_operation_that_fails_at_a_bound_reports_it(faulty_app_url: str) -> None:
    found = _findings(faulty_app_url, "/edge")

    assert "Server error" in found["boundaries"]


def test_fuzzing_an_operation_with_an_undocumented_status_reports_it(faulty_app_url: str) -> None:
    found = _findings(faulty_app_url, "/undocumented/{number}")

    assert "Undocumented status code" in found["valid"]
    assert "Received: 418" in found["valid"]


def test_fuzzing_an_operation_answering_off_its_schema_reports_it(faulty_app_url: str) -> None:
    found = _findings(faulty_app_url, "/off-schema/{number}")

    assert "Response violates schema" in found["valid"]


def test_fuzzing_a_sound_operation_finds_nothing(faulty_app_url: str) -> None:
    assert _findings(faulty_app_url, "/items/{item_id}") == {}
