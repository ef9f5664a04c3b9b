"""Waiting for what background loops do asynchronously."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def eventually(
    check: Callable[[], Awaitable[T | None]], *, within: float = 10.0, interval: float = 0.02
) -> T:
    """Poll `check` until it returns something other than None or False; fail after `within`s.

    Returns what `check` returned, so a test can go on with the state it waited for.
    """
    deadline = time.monotonic() + within
    while True:
        result = await check()
        if result is not None and result is not False:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {within}s (last: {result!r})")
        await asyncio.sleep(interval)
