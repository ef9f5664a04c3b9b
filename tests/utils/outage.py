"""Taking a part of the live platform down from inside a test's event loop, which must keep
running (a rush runs in it) while the process stops and starts again."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from tests.harness._process import ManagedProcess


@asynccontextmanager
async def down(part: ManagedProcess, *, kill: bool = False) -> AsyncIterator[None]:
    """`part` stopped (SIGTERM) or killed (SIGKILL) for the block, then started again on the
    same port (and data) and ready, even if the block fails."""
    await asyncio.to_thread(part.kill if kill else part.stop)
    try:
        yield
    finally:
        await asyncio.to_thread(part.start)
