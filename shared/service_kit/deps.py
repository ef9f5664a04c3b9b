"""Dependencies shared by every service."""

from collections.abc import Callable
from typing import Any

from fastapi import Request


def app_state(name: str) -> Callable[[Request], Any]:
    """A dependency handing out `app.state.<name>`, a resource the lifespan set up.

    Use it in an `Annotated` alias that names the type: `Annotated[Store, Depends(app_state(
    "store"))]`.
    """

    def from_app_state(request: Request) -> Any:
        return getattr(request.app.state, name)

    from_app_state.__name__ = f"app_state_{name}"
    return from_app_state
