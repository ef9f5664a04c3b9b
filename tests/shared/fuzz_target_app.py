"""A kit app with one fault per route, for the tests that the fuzzer finds each kind."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from service_kit.errors import ProblemError
from tests.shared.kit_app import create_kit_app

router = APIRouter(tags=["faults"])


class TeapotError(ProblemError):
    status, slug = 418, "teapot"


class Ticket(BaseModel):
    id: int
    seat: str


@router.get("/crash/{number}")
async def crash(number: int) -> Ticket:
    if number > 10:
        raise RuntimeError("a fault past ten")
    return Ticket(id=number, seat="A1")


@router.get("/edge")
async def edge(count: Annotated[int, Query(ge=1, le=100)]) -> Ticket:
    if count == 100:
        raise RuntimeError("a fault at the upper bound")
    return Ticket(id=count, seat="A1")


@router.get("/undocumented/{number}")
async def undocumented(number: int) -> Ticket:
    if number > 10:
        raise TeapotError("an answer the document does not list")
    return Ticket(id=number, seat="A1")


@router.get("/off-schema/{number}", response_model=Ticket)
async def off_schema(number: int) -> JSONResponse:
    return JSONResponse({"id": str(number)})


app = create_kit_app(routers=(router,))
