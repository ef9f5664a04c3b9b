"""Real-store test harness: PostgreSQL, MongoDB and service processes for the test suite.

Plain synchronous helpers (context managers and functions) with no pytest dependency; the
suite's ``conftest.py`` wires them into fixtures.
"""


class HarnessError(RuntimeError):
    """A test dependency (database server, service process) could not be provided."""


__all__ = ["HarnessError"]
