"""The kit documents each operation's answers exactly, every error as a problem body."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from service_kit.auth import Principal, Role, bearer_auth
from service_kit.errors import PROBLEM_MEDIA_TYPE, Problem
from service_kit.openapi import answers
from tests.shared.kit_app import create_kit_app


def responses_of(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    responses: dict[str, Any] = document["paths"][path][method]["responses"]
    return responses


def test_operation_without_input_documents_no_validation_error() -> None:
    document = create_kit_app().openapi()

    assert set(responses_of(document, "get", "/boom")) == {"200", "500"}
    assert set(responses_of(document, "get", "/healthz")) == {"200", "500"}


def test_operation_with_parameters_or_body_documents_validation_error() -> None:
    document = create_kit_app().openapi()

    assert set(responses_of(document, "get", "/items/{item_id}")) == {"200", "422", "500"}
    assert set(responses_of(document, "post", "/items")) == {"201", "413", "422", "500"}


def test_operation_with_body_documents_413_and_one_without_does_not() -> None:
    document = create_kit_app().openapi()

    assert "413" in responses_of(document, "post", "/items")
    assert "413" not in responses_of(document, "get", "/items/{item_id}")


def test_authenticated_operation_documents_401_and_role_check_403() -> None:
    document = create_kit_app().openapi()

    whoami = responses_of(document, "get", "/whoami")
    admin_only = responses_of(document, "get", "/admin-only")

    assert set(whoami) == {"200", "401", "500", "503"}
    assert set(admin_only) == {"200", "401", "403", "500", "503"}
    assert "WWW-Authenticate" in whoami["401"]["headers"]
    assert "Retry-After" in whoami["503"]["headers"]
    assert admin_only["403"]["description"] == "Only for the roles: admin, service"


def test_every_error_is_documented_as_problem_json_only() -> None:
    document = create_kit_app().openapi()

    errors = [
        response
        for operations in document["paths"].values()
        for operation in operations.values()
        for status, response in operation["responses"].items()
        if status >= "400"
    ]
    assert errors
    for response in errors:
        assert response["content"] == {
            PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}
        }
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_dependency_answers_join_the_route_own_reasons() -> None:
    router = APIRouter(tags=["kit"])

    @answers({404: {"description": "No such shelf"}})
    async def shelf(shelf_id: Annotated[int, Query()]) -> int:
        return shelf_id

    @router.get("/shelf-items", responses={404: {"description": "No such item"}})
    async def shelf_items(
        _: Annotated[int, Depends(shelf)],
        __: Annotated[Principal, Depends(bearer_auth.require_roles(Role.ADMIN))],
    ) -> list[str]:
        return []

    app = create_kit_app()
    app.include_router(router)

    found = responses_of(app.openapi(), "get", "/shelf-items")
    assert set(found) == {"200", "401", "403", "404", "422", "500", "503"}
    assert found["404"]["description"] == "No such item. No such shelf."


def test_route_error_model_is_kept_as_the_problem_schema() -> None:
    class TicketsShort(Problem):
        available_tickets: int

    router = APIRouter(tags=["kit"])

    @router.post("/reserve", responses={409: {"model": TicketsShort, "description": "Short"}})
    async def reserve() -> None:
        return None

    app = create_kit_app()
    app.include_router(router)
    document = app.openapi()

    conflict = responses_of(document, "post", "/reserve")["409"]
    assert conflict["content"] == {
        PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/TicketsShort"}}
    }
    assert "available_tickets" in document["components"]["schemas"]["TicketsShort"]["properties"]
