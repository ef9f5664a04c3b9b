"""booking-service's OpenAPI document says every answer of every booking operation."""

from typing import Any

import pytest
from fastapi import FastAPI

PROBLEM_SCHEMA = {"$ref": "#/components/schemas/Problem"}
# Every operation also answers 500 (unexpected) and 503 (tokens cannot be verified while
# user-service's keys are unavailable): the kit documents those.
DOCUMENTED = {
    ("post", "/bookings"): {"201", "401", "403", "404", "409", "413", "422", "500", "502", "503"},
    ("get", "/bookings"): {"200", "401", "403", "422", "500", "503"},
    ("get", "/bookings/{booking_id}"): {"200", "401", "403", "404", "422", "500", "503"},
    ("post", "/bookings/{booking_id}/cancel"): {
        "200",
        "401",
        "403",
        "404",
        "409",
        "422",
        "500",
        "503",
    },
}


@pytest.fixture(scope="module")
def document(booking_app: FastAPI) -> dict[str, Any]:
    return booking_app.openapi()


@pytest.mark.parametrize(("method", "path"), sorted(DOCUMENTED))
def test_booking_operation_documents_each_status_with_the_problem_schema(
    document: dict[str, Any], method: str, path: str
) -> None:
    responses = document["paths"][path][method]["responses"]

    numbered = {status for status in responses if status.isdigit()}
    assert numbered == DOCUMENTED[(method, path)]
    for status in numbered - {"200", "201"}:
        assert responses[status]["content"] == {
            "application/problem+json": {"schema": PROBLEM_SCHEMA}
        }


def test_booking_unavailable_documents_retry_after_and_the_dependency(
    document: dict[str, Any],
) -> None:
    unavailable = document["paths"]["/bookings"]["post"]["responses"]["503"]

    assert "Retry-After" in unavailable["headers"]
    assert "`dependency` names it" in unavailable["description"]


def test_listing_documents_its_statuses_and_that_failed_attempts_are_left_out(
    document: dict[str, Any],
) -> None:
    listing = document["paths"]["/bookings"]["get"]
    [status] = [p for p in listing["parameters"] if p["name"] == "status"]
    [choice] = [s for s in status["schema"]["anyOf"] if "$ref" in s]
    name = choice["$ref"].rsplit("/", 1)[-1]

    assert document["components"]["schemas"][name]["enum"] == [
        "pending",
        "confirmed",
        "cancelled",
        "failed",
    ]
    assert "status=failed" in listing["description"]
