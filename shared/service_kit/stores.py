"""A store the service needs at start, checked first, so that its absence is one clear line.

Without this, a service started before its database fails deep inside its start-up with a long
traceback. `require_reachable` turns that into `StoreUnreachableError` naming the store, the
setting that points at it and what to do; the kit's logging shows only that line.
"""

from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit, urlunsplit


class StoreUnreachableError(RuntimeError):
    """A store needed at start cannot be reached; the message says which and what to do."""


def redact(url: str) -> str:
    """The URL with its password replaced by `***`, fit for a log line."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user, _, host = parts.netloc.rpartition("@")
    name = user.partition(":")[0]
    return urlunsplit(parts._replace(netloc=f"{name}:***@{host}"))


async def require_reachable(
    check: Callable[[], Awaitable[object]], *, store: str, variable: str, url: str, hint: str
) -> None:
    try:
        await check()
    except Exception as exc:
        raise StoreUnreachableError(
            f"cannot reach {store} at {variable}={redact(url)} ({type(exc).__name__}). {hint}"
        ) from None
