"""The one retry policy of a call to another service: a total time budget, jittered backoff.

Exactly one layer retries a call, and it is this one: the HTTP client's transport never does.
A call runs against a deadline (its own budget, or one the caller shares between several
calls). Attempts follow each other, with jittered backoff in between, until the call is
answered, fails in a way a retry cannot change, or the deadline leaves no room for another
attempt; each attempt's timeouts are clipped to the time left, so the caller waits at most the
budget. What may be retried:

- an idempotent call (GET, HEAD, OPTIONS, PUT, DELETE, or any request carrying an
  `Idempotency-Key`): after any transport error and after a retryable answer (502, 503, 504
  unless the caller says otherwise);
- any other call only when nothing reached the server: the connection could not be made, or
  no service token could be had to send it with.

Once an attempt may have reached the server, the call's outcome stays unknown unless a later
attempt is answered: if later attempts fail without sending anything, that unknown outcome is
what the caller gets.
"""

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from service_kit.backoff import backoff_seconds
from service_kit.service_auth import ServiceTokenError
from service_kit.transport import Progress, watching_progress

logger = logging.getLogger(__name__)

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRYABLE_STATUSES = frozenset({502, 503, 504})
IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"


class DeadlineExceededError(httpx.TimeoutException):
    """The call's budget ran out before an attempt could start, or while one was running."""

    def __init__(self, message: str, *, sent: bool) -> None:
        super().__init__(message)
        self.sent = sent


# Failures after which nothing can have reached the server.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, ServiceTokenError)


def nothing_sent(error: BaseException) -> bool:
    """True when the failed call cannot have reached the server, so it had no effect there."""
    if isinstance(error, DeadlineExceededError):
        return not error.sent
    return isinstance(error, _NOT_SENT)


def _not_started(outcome: "Outcome") -> bool:
    return isinstance(outcome, DeadlineExceededError) and not outcome.sent


def retryable_status(response: httpx.Response) -> bool:
    return response.status_code in RETRYABLE_STATUSES


@dataclass(frozen=True)
class Deadline:
    """A moment (on the monotonic clock) by which a call, or a group of calls, must be done."""

    at: float

    @classmethod
    def after(cls, seconds: float) -> "Deadline":
        return cls(time.monotonic() + seconds)

    def remaining(self) -> float:
        return max(0.0, self.at - time.monotonic())


def _clipped(timeout: httpx.Timeout, seconds: float) -> httpx.Timeout:
    def clip(value: float | None) -> float:
        return seconds if value is None else min(value, seconds)

    return httpx.Timeout(
        connect=clip(timeout.connect),
        read=clip(timeout.read),
        write=clip(timeout.write),
        pool=clip(timeout.pool),
    )


Outcome = httpx.Response | httpx.TransportError | ServiceTokenError


@dataclass(frozen=True)
class RetryPolicy:
    """How one call (or one group of calls sharing a deadline) is retried."""

    budget_seconds: float
    backoff_base_seconds: float = 0.1
    backoff_cap_seconds: float = 1.0

    def deadline(self) -> Deadline:
        return Deadline.after(self.budget_seconds)

    async def send(
        self,
        client: httpx.AsyncClient,
        method: str,
        url: str,
        *,
        deadline: Deadline | None = None,
        retry_on: Callable[[httpx.Response], bool] = retryable_status,
        **request: Any,
    ) -> httpx.Response:
        """`client.request(method, url, **request)` under this policy, by `deadline` (default:
        the policy's budget from now).

        Returns the answer; an answer `retry_on` still calls retryable once the budget is
        spent (or, for a call that is not idempotent, once it was sent) is returned as well.
        Raises the transport error (an `httpx.TransportError`) or the `ServiceTokenError`
        of the last attempt, or of an earlier one that may have reached the server.
        """
        deadline = deadline or self.deadline()
        headers = request.get("headers") or {}
        idempotent = method.upper() in IDEMPOTENT_METHODS or IDEMPOTENCY_KEY_HEADER in headers
        maybe_applied: Outcome | None = None
        previous: Outcome | None = None
        attempt = 0
        while True:
            attempt += 1
            outcome = await _attempt(client, method, url, deadline, request)
            if previous is not None and _not_started(outcome):
                # The budget ran out during the wait before this retry (the wait fitted, the
                # attempt did not): the last attempt's outcome says what went wrong.
                outcome = previous
            previous = outcome
            if isinstance(outcome, httpx.Response) and not retry_on(outcome):
                return outcome
            sent = isinstance(outcome, httpx.Response) or not nothing_sent(outcome)
            if sent:
                maybe_applied = outcome
            delay = backoff_seconds(
                attempt, base=self.backoff_base_seconds, cap=self.backoff_cap_seconds
            )
            if (sent and not idempotent) or delay >= deadline.remaining():
                final = outcome if maybe_applied is None else maybe_applied
                if isinstance(final, httpx.Response):
                    return final
                raise final
            logger.info(
                "retrying %s %s in %.2fs (attempt %d failed: %s)",
                method,
                url,
                delay,
                attempt,
                _describe(outcome),
            )
            await asyncio.sleep(delay)


async def _attempt(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    deadline: Deadline,
    request: dict[str, Any],
) -> Outcome:
    remaining = deadline.remaining()
    if remaining <= 0:
        return DeadlineExceededError("the call's time budget was spent", sent=False)
    try:
        # httpx's timeouts bound each phase; this bounds the attempt as a whole (the service
        # token fetched on the way included).
        with watching_progress() as progress:
            async with asyncio.timeout(remaining):
                return await client.request(
                    method, url, timeout=_clipped(client.timeout, remaining), **request
                )
    except TimeoutError:
        # Cut short while still waiting for a connection (kit's transport), it sent nothing.
        sent = progress[-1:] != [Progress.STARTED]
        return DeadlineExceededError("no answer within the call's time budget", sent=sent)
    except httpx.TransportError as error:
        return error
    except ServiceTokenError as error:
        if not error.retryable:
            raise
        return error


def _describe(outcome: Outcome) -> str:
    if isinstance(outcome, httpx.Response):
        return f"answered {outcome.status_code}"
    return f"{type(outcome).__name__}: {outcome}"
