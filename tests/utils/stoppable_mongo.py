"""A MongoDB-compatible server of a test's own, to stop while a service uses it."""

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field

from tests.harness.mongo import run_secantus


@dataclass
class StoppableMongo:
    url: str
    _stack: ExitStack = field(repr=False)

    def stop(self) -> None:
        """Stop the server (SIGTERM, as an outage would take it away); its data goes with it."""
        self._stack.close()


@contextmanager
def stoppable_mongo() -> Iterator[StoppableMongo]:
    stack = ExitStack()
    with stack:  # stopped at the end if the test did not stop it
        yield StoppableMongo(url=stack.enter_context(run_secantus()), _stack=stack)
