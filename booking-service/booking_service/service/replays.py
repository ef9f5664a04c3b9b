"""Answering a booking request again: the same Idempotency-Key gets the first request's answer.

A settled booking's answer is the booking, or, for a failed one, the problem it failed with
(kept with the booking for exactly this). A booking that failed because something was briefly
unavailable (a 503 with `Retry-After`) gives its key back instead: the client was told to try
again, and a retry with the same key is a new attempt, not a replay of the 503.
"""

import asyncio
import time
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from booking_service.models import Booking
from booking_service.statuses import BookingStatus
from service_kit.errors import ConflictError, ProblemError, UnprocessableError

POLL_SECONDS = 0.05
SERVICE_UNAVAILABLE = 503


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


def may_try_again(booking: Booking) -> bool:
    """Whether a settled booking failed only for the moment: its key may be used again."""
    return (
        booking.status == BookingStatus.FAILED
        and booking.failure is not None
        and booking.failure.get("status") == SERVICE_UNAVAILABLE
    )


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
) -> Booking | None:
    """The answer of the first request with this caller's key, waiting up to `wait_seconds`
    while it is still running; 422 if that request asked for something else.

    None when that request failed for the moment and its key was given back (by this call or a
    racing one): place it anew.
    """
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
            ).scalar_one_or_none()
        if first is None:  # given back by a booking that failed for the moment: it is free
            return None
        if first.request_fingerprint != fingerprint:
            raise IdempotencyKeyReusedError(
                "This Idempotency-Key was used for a different booking request."
            )
        if may_try_again(first):
            await _give_key_back(sessions=sessions, booking=first)
            return None
        if first.status != BookingStatus.PENDING:
            return settled_answer(first)
        if time.monotonic() >= deadline:
            raise ConflictError(
                "The first request with this Idempotency-Key is still running.",
                headers={"Retry-After": "1"},
            )
        await asyncio.sleep(POLL_SECONDS)


async def _give_key_back(*, sessions: async_sessionmaker[AsyncSession], booking: Booking) -> None:
    """Detach the key from a booking that failed for the moment (once, if retries race: the
    others then find the key free, or held by the winner's new booking)."""
    async with sessions() as session:
        await session.execute(
            update(Booking)
            .where(Booking.id == booking.id, Booking.idempotency_key == booking.idempotency_key)
            .values(idempotency_key=None)
        )
        await session.commit()
