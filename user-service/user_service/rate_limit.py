"""A rate limit as people write it in a setting: `10/15min` is at most 10 in any 15 minutes."""

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer

_UNITS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
}
_FORMAT = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([a-z]+?)s?\s*$")


@dataclass(frozen=True)
class RateLimit:
    """At most `max_attempts` in any `window` (a sliding window)."""

    max_attempts: int
    window: timedelta

    @classmethod
    def parse(cls, text: str) -> "RateLimit":
        """`N/unit` or `N/Kunit`, unit one of s, min, h, day (`10/15min`, `5/hour`)."""
        match = _FORMAT.match(text.lower())
        if match is None or match.group(3) not in _UNITS:
            raise ValueError(
                f"{text!r} is not a rate limit: write `count/window`, e.g. `10/15min`, `5/hour`"
            )
        count, multiple, unit = int(match.group(1)), int(match.group(2) or 1), match.group(3)
        if count < 1 or multiple < 1:
            raise ValueError(f"{text!r}: the count and the window must be at least 1")
        return cls(count, timedelta(seconds=multiple * _UNITS[unit]))

    def __str__(self) -> str:
        return f"{self.max_attempts}/{int(self.window.total_seconds())}s"


def _parse(value: Any) -> Any:
    return RateLimit.parse(value) if isinstance(value, str) else value


RateLimitSetting = Annotated[RateLimit, BeforeValidator(_parse), PlainSerializer(str)]
