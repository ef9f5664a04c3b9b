"""The OpenAPI document lists every answer an operation can give, and no other.

A route declares its own answers in `responses=`. The kit adds the answers of the dependencies it
uses (marked with `answers`: the bearer token checks' 401, a role check's 403, ...), 422 where
there are parameters or a body to validate (FastAPI's rule), 413 where there is a body (the
kit's body limit) and the generic 500. Every error is
documented as an RFC 9457 problem, `application/problem+json` only, so a client generated from
the document knows the shape of each error and which statuses to expect.
"""

import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import BaseRoute

from service_kit.errors import PROBLEM_MEDIA_TYPE, Problem

Responses = Mapping[int, Mapping[str, Any]]
Dependency = TypeVar("Dependency")

_ANSWERS_ATTRIBUTE = "__documented_answers__"
_PROBLEM_SCHEMA = {"$ref": "#/components/schemas/Problem"}
_FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")

RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer", "minimum": 1},
    }
}
WWW_AUTHENTICATE = {
    "WWW-Authenticate": {
        "description": "`Bearer`: the operation needs a bearer access token.",
        "schema": {"type": "string"},
    }
}

_VALIDATION_ERROR = (
    "The request is invalid: `errors` lists the offending fields (a body that is not JSON is "
    "named with the line and column where it breaks)."
)

# Documented on every operation: an unexpected failure, answered without internals.
GENERIC_RESPONSES: dict[int | str, dict[str, Any]] = {
    500: {
        "description": "Unexpected error; quote `request_id` when reporting it",
        "model": Problem,
    }
}


def answers(responses: Responses) -> Callable[[Dependency], Dependency]:
    """Mark a dependency: every operation that depends on it documents these error answers.

    The responses read like a route's `responses=` (`{403: {"description": ...}}`); the kit
    documents each one as a problem body.
    """

    def mark(dependency: Dependency) -> Dependency:
        declared = {**getattr(dependency, _ANSWERS_ATTRIBUTE, {}), **responses}
        setattr(dependency, _ANSWERS_ATTRIBUTE, declared)
        return dependency

    return mark


def _dependencies(dependant: Dependant) -> Iterator[Dependant]:
    for dependency in dependant.dependencies:
        yield dependency
        yield from _dependencies(dependency)


def _dependency_answers(dependant: Dependant) -> Iterator[tuple[str, Mapping[str, Any]]]:
    seen: set[int] = set()
    for dependency in _dependencies(dependant):
        if dependency.call is None or id(dependency.call) in seen:
            continue
        seen.add(id(dependency.call))
        declared: Responses = getattr(dependency.call, _ANSWERS_ATTRIBUTE, {})
        for status, response in declared.items():
            yield str(status), response


def _sentences(reasons: list[str]) -> str:
    if len(reasons) == 1:
        return reasons[0]
    return " ".join(reason if reason.endswith(".") else f"{reason}." for reason in reasons)


def _add_dependency_answers(responses: dict[str, Any], dependant: Dependant) -> None:
    """One status, several reasons (the route's and its dependencies'): list every reason."""
    reasons: dict[str, list[str]] = {}
    for status, response in _dependency_answers(dependant):
        documented = responses.setdefault(status, {})
        known = reasons.setdefault(
            status, [documented["description"]] if documented.get("description") else []
        )
        if response.get("description") and response["description"] not in known:
            known.append(response["description"])
        if response.get("headers"):
            documented["headers"] = {**documented.get("headers", {}), **response["headers"]}
    for status, known in reasons.items():
        responses[status]["description"] = _sentences(known)


def _is_error(status: str) -> bool:
    return status[0] in "45"


_TOO_LARGE = "The request body is larger than `MAX_REQUEST_BYTES`"


def _document_operation(operation: dict[str, Any], dependant: Dependant | None) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    if "requestBody" in operation:
        # The kit's body limit (service_kit.limits) guards every operation that takes a body.
        responses.setdefault("413", {"description": _TOO_LARGE})
    if "422" in responses and responses["422"].get("description") == "Validation Error":
        # FastAPI's words describe its own error shape; the kit answers a problem.
        responses["422"]["description"] = _VALIDATION_ERROR
    if dependant is not None:
        _add_dependency_answers(responses, dependant)
    for status, response in responses.items():
        if _is_error(status):
            response["content"] = _problem_content(response.get("content", {}))
    operation["responses"] = dict(sorted(responses.items()))


def _problem_content(content: Mapping[str, Any]) -> dict[str, Any]:
    """Problem bodies only, keeping a more specific schema a route gave (a `Problem` subclass)."""
    declared = content.get(PROBLEM_MEDIA_TYPE) or content.get("application/json") or {}
    schema = declared.get("schema")
    if not schema or schema.get("$ref", "").endswith("/HTTPValidationError"):
        schema = dict(_PROBLEM_SCHEMA)
    return {PROBLEM_MEDIA_TYPE: {"schema": schema}}


def _drop_unused_validation_schemas(document: dict[str, Any]) -> None:
    """FastAPI's own validation error shape is never answered: the kit answers problems."""
    if "/HTTPValidationError" not in json.dumps(document.get("paths", {})):
        schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})
        for name in _FASTAPI_VALIDATION_SCHEMAS:
            schemas.pop(name, None)


def document_answers(document: dict[str, Any], routes: list[BaseRoute]) -> None:
    """Complete each operation of `document` (FastAPI's) with its routes' dependency answers."""
    dependants: dict[tuple[str, str], Dependant] = {
        (str(context.path_format), method.lower()): context.dependant
        for context in iter_route_contexts(routes)
        if isinstance(context.original_route, APIRoute)
        for method in context.methods or ()
    }
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            _document_operation(operation, dependants.get((path, method)))
    _drop_unused_validation_schemas(document)


def install_answer_documentation(app: FastAPI) -> None:
    """Make `app.openapi()` document every operation's answers (see the module docstring)."""
    build_document = app.openapi
    completed: list[dict[str, Any]] = []

    def openapi() -> dict[str, Any]:
        document = build_document()
        if not completed or completed[0] is not document:
            document_answers(document, app.routes)
            completed[:] = [document]
        return document

    app.openapi = openapi  # type: ignore[method-assign]
