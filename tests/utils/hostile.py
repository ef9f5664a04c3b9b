"""Assertions and payloads for hostile input: text a store cannot hold, oversized bodies."""

import httpx

from tests.utils.users import assert_problem


def assert_text_refused(
    response: httpx.Response, field: str, kind: str = "control_character"
) -> None:
    """A 422 validation problem naming `field` for a control character (or `kind`)."""
    problem = assert_problem(response, 422)
    errors = problem["errors"]
    assert isinstance(errors, list)
    assert {"field": field, "type": kind} in [
        {"field": error["field"], "type": error["type"]} for error in errors
    ], errors


def oversized_json(total_bytes: int = 2 * 1024 * 1024) -> bytes:
    """A JSON document of about `total_bytes`, over every service's default body limit."""
    return b'{"padding": "' + b"x" * total_bytes + b'"}'


def assert_store_unavailable(response: httpx.Response) -> None:
    """A 503 problem naming MongoDB, with `Retry-After`."""
    problem = assert_problem(response, 503)
    assert problem["type"] == "urn:event-booking:problem:store-unavailable"
    assert problem["store"] == "mongodb"
    assert int(response.headers["retry-after"]) >= 1
