"""RFC 9457 problem details: the one error shape of every 4xx/5xx in every service."""

import json
import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from service_kit.context import current_request_id

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "urn:event-booking:problem:"

logger = logging.getLogger(__name__)


class FieldError(BaseModel):
    field: str = Field(description="Dotted path of the offending field, e.g. `body.email`.")
    message: str
    type: str = Field(description="Machine-readable error kind, e.g. `string_too_short`.")


class Problem(BaseModel):
    """An RFC 9457 problem details object."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(default="about:blank", description="URI identifying the problem type.")
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None
    errors: list[FieldError] | None = Field(
        default=None, description="For validation problems: the offending fields."
    )


class ProblemError(Exception):
    """A domain error that becomes a problem response; subclasses fix the status and type."""

    status: int = 500
    slug: str = "internal-error"

    def __init__(
        self,
        detail: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or self.default_title())
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra

    @classmethod
    def default_title(cls) -> str:
        return HTTPStatus(cls.status).phrase


class BadRequestError(ProblemError):
    status, slug = 400, "bad-request"


class UnauthorizedError(ProblemError):
    status, slug = 401, "unauthorized"

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"}, **extra)


class ForbiddenError(ProblemError):
    status, slug = 403, "forbidden"


class NotFoundError(ProblemError):
    status, slug = 404, "not-found"


class ConflictError(ProblemError):
    status, slug = 409, "conflict"


class UnprocessableError(ProblemError):
    status, slug = 422, "unprocessable"


class TooManyRequestsError(ProblemError):
    status, slug = 429, "too-many-requests"


class ServiceUnavailableError(ProblemError):
    status, slug = 503, "service-unavailable"


def problem_response(
    *,
    status: int,
    detail: str | None = None,
    slug: str | None = None,
    headers: dict[str, str] | None = None,
    instance: str | None = None,
    **extra: Any,
) -> JSONResponse:
    request_id = current_request_id()
    problem = Problem(
        type=PROBLEM_TYPE_BASE + slug if slug else "about:blank",
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=instance,
        request_id=request_id,
        **extra,
    )
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=status,
        headers=headers,
        media_type=PROBLEM_MEDIA_TYPE,
    )


_HTTP_SLUGS = {
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    413: "content-too-large",
}


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return problem_response(
        status=exc.status,
        detail=exc.detail,
        slug=exc.slug,
        headers=exc.headers,
        instance=request.url.path,
        **exc.extra,
    )


async def _on_http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400 and isinstance(exc.__cause__, UnicodeDecodeError):
        # FastAPI answers a JSON body that is not UTF-8 with a bare 400.
        undecodable = exc.__cause__
        byte = undecodable.object[undecodable.start : undecodable.start + 1].hex()
        return _malformed_json(
            request,
            f"Malformed JSON: the body is not UTF-8 (byte 0x{byte} at offset {undecodable.start})",
        )
    detail: str | None = exc.detail if isinstance(exc.detail, str) else None
    if detail == HTTPStatus(exc.status_code).phrase:
        detail = None
    return problem_response(
        status=exc.status_code,
        detail=detail,
        slug=_HTTP_SLUGS.get(exc.status_code),
        headers=dict(exc.headers or {}),
        instance=request.url.path,
    )


_UNION_TAG_ERRORS = ("union_tag_invalid", "union_tag_not_found")


def _field_path(error: Mapping[str, Any]) -> str:
    location = tuple(error["loc"])
    if error["type"] in _UNION_TAG_ERRORS:
        # A discriminated union reports a bad or missing tag at the union: name the tag field.
        location += (str(error.get("ctx", {}).get("discriminator", "")).strip("'"),)
    return ".".join(str(part) for part in location if part != "")


def malformed_json_message(error: json.JSONDecodeError) -> str:
    """`Malformed JSON at line 3, column 5: Expecting ',' delimiter`."""
    return f"Malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}"


def _as_decode_error(error: Mapping[str, Any], document: object) -> json.JSONDecodeError | None:
    """FastAPI reports a body that is not JSON as `json_invalid` at `("body", offset)`."""
    location = error["loc"]
    if error["type"] != "json_invalid" or len(location) != 2 or not isinstance(location[1], int):
        return None
    if isinstance(document, bytes):
        document = document.decode("utf-8", errors="replace")
    if not isinstance(document, str):
        return None
    reason = str(error.get("ctx", {}).get("error") or error["msg"])
    return json.JSONDecodeError(reason, document, location[1])


def _malformed_json(request: Request, message: str) -> JSONResponse:
    return problem_response(
        status=422,
        detail=message,
        slug="malformed-json",
        instance=request.url.path,
        errors=[FieldError(field="body", message=message, type="json_invalid").model_dump()],
    )


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    decode_error = _as_decode_error(errors[0], exc.body) if len(errors) == 1 else None
    if decode_error is not None:
        return _malformed_json(request, malformed_json_message(decode_error))
    # The submitted values are deliberately left out: they may hold passwords.
    fields = [
        FieldError(field=_field_path(error), message=error["msg"], type=error["type"])
        for error in errors
    ]
    noun = "field" if len(fields) == 1 else "fields"
    return problem_response(
        status=422,
        detail=f"The request has {len(fields)} invalid {noun}.",
        slug="validation-error",
        instance=request.url.path,
        errors=[field.model_dump() for field in fields],
    )


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(StarletteHTTPException, _on_http_exception)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
