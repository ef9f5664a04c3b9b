"""Answering a booking request again: the same Idempotency-Key gets the first request's answer.

A settled booking's answer is the booking, or, for a failed one, the problem it failed with
(kept with the booking for exactly this).
"""

import asyncio
import time
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from booking_service.models import Booking
from booking_service.statuses import BookingStatus
from service_kit.errors import ConflictError, ProblemError, UnprocessableError

POLL_SECONDS = 0.05


class IdempotencyKeyReusedError(UnprocessableError):
    slug = "idempotency-key-reused"


class StoredProblemError(ProblemError):
    """A failure answered earlier, answered again for an idempotent replay."""

    def __init__(self, failure: dict[str, Any]) -> None:
        super().__init__(
            failure.get("detail"), headers=failure.get("headers") or {}, **failure.get("extra", {})
        )
        self.status = failure["status"]
        self.slug = failure["slug"]


def describe_failure(error: ProblemError) -> dict[str, Any]:
    """The problem a booking failed with, as stored with it for `StoredProblemError`."""
    return {
        "status": error.status,
        "slug": error.slug,
        "detail": error.detail,
        "headers": error.headers,
        "extra": error.extra,
    }


def settled_answer(booking: Booking) -> Booking:
    """What a request for this settled booking answers: the problem it failed with, if it
    failed with one; the booking otherwise."""
    if booking.status == BookingStatus.FAILED and booking.failure:
        raise StoredProblemError(booking.failure)
    return booking


async def key_used(
    *, sessions: async_sessionmaker[AsyncSession], created_by: str, idempotency_key: str | None
) -> bool:
    """Whether a booking request with this caller's key was recorded (False without a key)."""
    if idempotency_key is None:
        return False
    async with sessions() as session:
        found = await session.execute(
            select(Booking.id).where(
                Booking.created_by == created_by, Booking.idempotency_key == idempotency_key
            )
        )
        return found.first() is not None


async def first_answer(
    *,
    sessions: async_sessionmaker[AsyncSession],
    created_by: str,
    idempotency_key: str | None,
    fingerprint: str,
    wait_seconds: float,
) -> Booking:
    """The answer of the first request with this caller's key, waiting up to `wait_seconds`
    while it is still running; 422 if that request asked for something else."""
    deadline = time.monotonic() + wait_seconds
    while True:
        async with sessions() as session:
            first = (
                await session.execute(
                    select(Booking).where(
                        Booking.created_by == created_by,
                        Booking.idempotency_key == idempotency_key,
                    )
                )
            ).scalar_one()
        if first.request_fingerprint != fingerprint:
            raise IdempotencyKeyReusedError(
                "This Idempotency-Key was used for a different booking request."
            )
        if first.status != BookingStatus.PENDING:
            return settled_answer(first)
        if time.monotonic() >= deadline:
            raise ConflictError(
                "The first request with this Idempotency-Key is still running.",
                headers={"Retry-After": "1"},
            )
        await asyncio.sleep(POLL_SECONDS)
