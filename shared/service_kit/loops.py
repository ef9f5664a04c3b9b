"""A periodic background job that survives its own failures, run from a service's lifespan."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Any

logger = logging.getLogger(__name__)


async def run_periodically(
    job: Callable[[], Awaitable[bool | None]],
    *,
    interval: float,
    name: str,
    wake: asyncio.Event | None = None,
) -> None:
    """Run `job` now and then every `interval` seconds (sooner when `wake` is set), forever.

    A job returning True has more to do and runs again at once. A failing pass is logged and
    the next one runs on schedule; only cancellation stops the loop.
    """
    while True:
        if wake is not None:
            wake.clear()
        try:
            if await job():
                continue
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("%s failed; next pass in %.0fs", name, interval)
        if wake is None:
            await asyncio.sleep(interval)
        else:
            # Not asyncio.wait_for: on Python 3.11 it swallows a cancellation that arrives
            # together with the wake-up, and the loop would outlive its app.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(interval):
                    await wake.wait()


@asynccontextmanager
async def background_tasks(*jobs: tuple[str, Coroutine[Any, Any, None]]) -> AsyncIterator[None]:
    """Run named coroutines as tasks while the block runs; cancel and await them on exit."""
    tasks = [asyncio.create_task(coroutine, name=name) for name, coroutine in jobs]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
