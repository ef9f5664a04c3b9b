"""Dependencies shared by every service."""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request


def app_state(name: str) -> Callable[[Request], Coroutine[Any, Any, Any]]:
    """A dependency handing out `app.state.<name>`, a resource the lifespan set up.

    Use it in an `Annotated` alias that names the type: `Annotated[Store, Depends(app_state(
    "store"))]`. It is a coroutine function so FastAPI calls it on the event loop: a plain
    function would be sent to the thread pool, a thread hop per dependency per request.
    """

    async def from_app_state(request: Request) -> Any:
        return getattr(request.app.state, name)

    from_app_state.__name__ = f"app_state_{name}"
    return from_app_state
