"""Text a store can hold: every request input is refused when it carries control characters.

PostgreSQL refuses a NUL byte in text, BSON a lone surrogate; either, let through, fails deep in a
store as a 500 (or worse, in a later step of a saga). So every text input of every operation (path
and query parameters, form fields, JSON strings and the keys of JSON objects, at any depth) is
checked once, here, before the route runs: control characters other than tab and newline, and
lone surrogates, are a 422 naming the field. Routes and schemas need do nothing for it; a field
that is a name or a title rather than prose adds `SingleLine` to refuse tab and newline too.
"""

import re
from collections.abc import Iterator
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError, WebSocketRequestValidationError
from pydantic import AfterValidator
from starlette.requests import HTTPConnection

Location = tuple[str | int, ...]

# C0 controls but tab and newline, DEL and the C1 controls (Unicode category Cc), and the
# surrogate halves that Python lets a JSON `\ud800` escape produce.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_KEY = "[key]"


def text_error(value: str) -> tuple[str, str] | None:
    """`(type, message)` when `value` holds a character no text input may hold, else None."""
    control = _CONTROL.search(value)
    if control is not None:
        code = ord(control.group())
        return (
            "control_character",
            f"Text must not contain control characters (found U+{code:04X}); "
            "only tab and newline are allowed.",
        )
    if _SURROGATE.search(value) is not None:
        return "lone_surrogate", "Text must be valid Unicode (found a lone surrogate)."
    return None


def _single_line(value: str) -> str:
    if "\n" in value or "\t" in value:
        raise ValueError("must be one line, without tabs or line breaks")
    return value


SingleLine = AfterValidator(_single_line)
"""For a name or a title, in `Annotated[str, ..., SingleLine]`: only prose keeps tab and newline."""


def _strings(value: Any, location: Location) -> Iterator[tuple[Location, str]]:
    """Every string in a decoded JSON document with its location; a key is named `[key]`."""
    if isinstance(value, str):
        yield location, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield (*location, _KEY), key
            yield from _strings(item, (*location, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*location, index))


async def _body_strings(request: Request) -> Iterator[tuple[Location, str]]:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()  # parsed (and cached) already when the route takes a form
        return (
            (("body", name), value) for name, value in form.multi_items() if isinstance(value, str)
        )
    if "json" not in content_type or not await request.body():
        return iter(())
    try:
        # FastAPI has parsed a JSON body already (a malformed one never gets here): the cache.
        document = await request.json()
    except ValueError:
        return iter(())  # not a media type FastAPI reads as JSON: the route's validation says so
    return _strings(document, ("body",))


def _input_strings(connection: HTTPConnection) -> Iterator[tuple[Location, str]]:
    for name, value in connection.path_params.items():
        if isinstance(value, str):
            yield ("path", name), value
    for name, value in connection.query_params.multi_items():
        yield ("query", name), name  # a parameter's name is text the service may echo
        yield ("query", name), value


async def refuse_unstorable_text(connection: HTTPConnection) -> None:
    """The app-wide dependency: refuse the request when any text input holds such a character."""
    strings: Iterator[tuple[Location, str]] = _input_strings(connection)
    errors = _errors(strings)
    if not errors and isinstance(connection, Request):
        errors = _errors(await _body_strings(connection))
    if not errors:
        return
    if connection.scope["type"] == "websocket":
        raise WebSocketRequestValidationError(errors)
    raise RequestValidationError(errors)


def _errors(strings: Iterator[tuple[Location, str]]) -> list[dict[str, Any]]:
    errors = []
    for location, value in strings:
        problem = text_error(value)
        if problem is not None:
            kind, message = problem
            # The value is left out: it may be a password.
            errors.append({"type": kind, "loc": location, "msg": message, "input": None})
    return errors
