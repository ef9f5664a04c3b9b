"""How event-service's operations document their error answers: RFC 9457 problem bodies."""

from typing import Any

from service_kit.errors import PROBLEM_MEDIA_TYPE, Problem

RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer", "minimum": 1},
    }
}


def problem(
    description: str,
    model: type[Problem] = Problem,
    *,
    headers: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One documented error answer: its reason and its problem body (`model`)."""
    answer: dict[str, Any] = {
        "description": description,
        "model": model,
        "content": {
            PROBLEM_MEDIA_TYPE: {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}
        },
    }
    if headers:
        answer["headers"] = headers
    return answer


UNAUTHENTICATED = problem("No valid bearer access token was sent")
EVENT_NOT_FOUND = problem("No event has this id")
