"""Jittered exponential backoff, the one delay rule for every retry on the platform."""

import random


def backoff_seconds(attempt: int, *, base: float, cap: float) -> float:
    """The wait after failed attempt number `attempt` (1 for the first failure).

    `base * 2**(attempt-1)`, capped at `cap`, then scaled by a random factor in [0.5, 1) so
    that callers failing together do not come back together.
    """
    ceiling = min(cap, base * 2.0 ** max(attempt - 1, 0))
    return ceiling * (0.5 + random.random() / 2)  # noqa: S311 (jitter, not security)
