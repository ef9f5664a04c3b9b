"""/docs and /redoc come with every asset from the service itself: they work offline."""

import re

import pytest

from service_kit.docs import DOCS_CSP
from tests.shared.test_app_kit import kit_client

REFERENCE = re.compile(r'(?:src|href|spec-url|data-openapi-url)="([^"]+)"')


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_docs_page_and_every_asset_it_references_are_served_by_the_service(
    page: str,
) -> None:
    async with kit_client() as client:
        response = await client.get(page)
        references = REFERENCE.findall(response.text)
        assets = {reference: await client.get(f"/{reference}") for reference in references}

    assert response.status_code == 200
    assert response.headers["content-security-policy"] == DOCS_CSP
    assert references, "the page loads its scripts and styles"
    assert not [ref for ref in references if "//" in ref], "nothing from another origin"
    for reference, asset in assets.items():
        assert asset.status_code == 200, reference
        assert len(asset.content) > 0, reference


async def test_docs_page_has_no_inline_script_for_a_strict_csp() -> None:
    async with kit_client() as client:
        page = (await client.get("/docs")).text

    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts
    assert all("src=" in attributes and not body.strip() for attributes, body in scripts)
    assert "script-src 'self';" in DOCS_CSP
