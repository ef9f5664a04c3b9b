"""event-service's OpenAPI document lists exactly the errors each operation answers."""

from typing import Any

import httpx
import pytest

from event_service.errors import RefusalReason
from service_kit.errors import PROBLEM_MEDIA_TYPE

# 503: MongoDB unreachable, and the bearer token checks while user-service's signing keys are
# unavailable.
ERRORS = {
    ("post", "/events"): {401, 403, 413, 422, 503},
    ("get", "/events"): {422, 503},
    ("get", "/events/{event_id}"): {404, 503},
    ("patch", "/events/{event_id}"): {401, 403, 404, 409, 413, 422, 503},
    ("post", "/events/{event_id}/cancel"): {401, 403, 404, 503},
    ("put", "/events/{event_id}/update_tickets"): {401, 403, 404, 409, 413, 422, 503},
}
# FastAPI documents a 422 for every operation with a parameter, although a `str` path
# parameter, the only one these have, cannot fail validation.
PATH_PARAMETER_ONLY = {("get", "/events/{event_id}"), ("post", "/events/{event_id}/cancel")}


@pytest.fixture(scope="module")
async def document(events_client: httpx.AsyncClient) -> dict[str, Any]:
    document: dict[str, Any] = (await events_client.get("/openapi.json")).json()
    return document


@pytest.mark.parametrize(("method", "path"), sorted(ERRORS))
def test_operation_documents_exactly_its_errors_as_problem_bodies(
    document: dict[str, Any], method: str, path: str
) -> None:
    responses = document["paths"][path][method]["responses"]
    errors = {int(status) for status in responses if status >= "400"} - {500}
    expected = ERRORS[(method, path)] | ({422} if (method, path) in PATH_PARAMETER_ONLY else set())

    assert errors == expected
    for status in errors:
        assert list(responses[str(status)]["content"]) == [PROBLEM_MEDIA_TYPE]


def test_ticket_conflict_documents_its_reasons_and_retry_after(document: dict[str, Any]) -> None:
    conflict = document["paths"]["/events/{event_id}/update_tickets"]["put"]["responses"]["409"]
    schema_ref = conflict["content"][PROBLEM_MEDIA_TYPE]["schema"]["$ref"]
    schemas = document["components"]["schemas"]
    schema = schemas[schema_ref.rsplit("/", 1)[1]]
    reasons = schemas[schema["properties"]["reason"]["$ref"].rsplit("/", 1)[1]]

    assert "reason" in schema["required"]
    assert set(reasons["enum"]) == {reason.value for reason in RefusalReason}
    assert "available_tickets" in schema["properties"]
    assert "Retry-After" in conflict["headers"]
