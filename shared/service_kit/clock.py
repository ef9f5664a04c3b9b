"""The one UTC clock of the platform, in the two precisions the stores keep."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Now, timezone-aware UTC, at full precision (SQL stores keep microseconds)."""
    return datetime.now(UTC)


def to_milliseconds(value: datetime) -> datetime:
    """`value` in UTC, truncated to the millisecond MongoDB keeps: what we return is stored."""
    value = value.astimezone(UTC)
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def utcnow_ms() -> datetime:
    """Now, truncated to milliseconds, for documents in MongoDB."""
    return to_milliseconds(utcnow())
