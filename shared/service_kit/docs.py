"""Swagger UI at /docs and ReDoc at /redoc, served by the service itself.

FastAPI's own pages load their JavaScript and CSS from a CDN, so on a machine without internet
they are blank. Here the assets come from the `fastapi-offline` package (a maintained bundle of
Swagger UI and ReDoc) and are mounted at /docs-assets; the pages hold no inline script, so they
also work under a strict Content-Security-Policy, which they send themselves. Every URL in them is
relative, so they work behind a gateway that serves the service under a path prefix too.
"""

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS_PATH = "/docs-assets"
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; worker-src 'self' blob:; "
    "object-src 'none'; "
    "base-uri 'self'; frame-ancestors 'none'"
)
# The bundle's files, then the kit's own (the Swagger UI start-up script).
_ASSET_PACKAGES: list[str | tuple[str, str]] = [
    ("fastapi_offline", "static"),
    ("service_kit", "docs_assets"),
]


def _page(title: str, head: str, body: str) -> HTMLResponse:
    html = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="docs-assets/favicon.png">
{head}
</head>
<body>
{body}
</body>
</html>
"""
    return HTMLResponse(
        html, headers={"Content-Security-Policy": DOCS_CSP, "X-Content-Type-Options": "nosniff"}
    )


def install_offline_docs(app: FastAPI, *, title: str) -> None:
    """Serve /docs, /redoc and their assets from this process (call with docs_url=None)."""
    app.mount(ASSETS_PATH, StaticFiles(packages=_ASSET_PACKAGES), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return _page(
            f"{title} - Swagger UI",
            '<link rel="stylesheet" href="docs-assets/swagger-ui.css">',
            '<div id="swagger-ui" data-openapi-url="openapi.json"></div>\n'
            '<script src="docs-assets/swagger-ui-bundle.js"></script>\n'
            '<script src="docs-assets/swagger-start.js"></script>',
        )

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return _page(
            f"{title} - ReDoc",
            "",
            '<redoc spec-url="openapi.json"></redoc>\n'
            '<script src="docs-assets/redoc.standalone.js"></script>',
        )
