"""event-service's operations declare exactly the errors they answer, each as a problem body."""

from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute

from event_service.errors import RefusalReason
from event_service.routes import events_router, tickets_router
from service_kit.errors import PROBLEM_MEDIA_TYPE

DECLARED_ERRORS = {
    ("POST", "/events"): {401, 403, 422},
    ("GET", "/events"): {422},
    ("GET", "/events/{event_id}"): {404},
    ("PATCH", "/events/{event_id}"): {401, 403, 404, 409, 422},
    ("POST", "/events/{event_id}/cancel"): {401, 403, 404},
    ("PUT", "/events/{event_id}/update_tickets"): {401, 403, 404, 409, 422},
}


def _declared(method: str, path: str) -> set[int]:
    [route] = [
        route
        for route in [*events_router.routes, *tickets_router.routes]
        if isinstance(route, APIRoute) and route.path == path and method in route.methods
    ]
    return {int(status) for status in route.responses}


@pytest.fixture(scope="module")
async def document(events_client: httpx.AsyncClient) -> dict[str, Any]:
    document: dict[str, Any] = (await events_client.get("/openapi.json")).json()
    return document


@pytest.mark.parametrize(("method", "path"), sorted(DECLARED_ERRORS))
def test_operation_declares_exactly_its_errors_as_problem_bodies(
    document: dict[str, Any], method: str, path: str
) -> None:
    expected = DECLARED_ERRORS[(method, path)]
    responses = document["paths"][path][method.lower()]["responses"]

    assert _declared(method, path) == expected
    for status in expected:
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
