"""Telling a failure that a later attempt may get past from one that no attempt ever will.

Recovery retries the first kind on its next pass; on the second it gives up on the booking:
fails it, releases what it may hold and tells the buyer.
"""

from sqlalchemy.exc import DataError, IntegrityError

from service_kit.errors import ConflictError, ProblemError, ServiceUnavailableError

# The store refused the booking's values themselves (text it cannot hold, a number out of range,
# a constraint): writing them again is refused again.
PERMANENT_STORE_ERRORS = (DataError, IntegrityError)


class BookingNotCompletedError(ConflictError):
    """The tickets were reserved but the booking cannot be recorded as confirmed, ever."""

    slug = "booking-not-completed"


def is_permanent(error: BaseException) -> bool:
    """Whether the step that raised `error` would fail the same way however often it ran.

    A problem from another service is permanent unless it says the service is unavailable (or
    its answer was lost): refusals such as sold out, an unknown event or user, or a request the
    service refuses for good. A store error is permanent when the store refused the values.
    Anything else (a dropped connection, a timeout, a bug fixed by the next deploy) is not.
    """
    if isinstance(error, ServiceUnavailableError):
        return False
    if isinstance(error, ProblemError):
        return True
    return isinstance(error, PERMANENT_STORE_ERRORS)


def not_completed(error: BaseException) -> BookingNotCompletedError:
    """The problem a booking whose confirmation failed for good is failed with."""
    return BookingNotCompletedError(
        "The tickets could not be confirmed: the booking cannot be recorded "
        f"({type(error).__name__}). Nothing is held for it."
    )
