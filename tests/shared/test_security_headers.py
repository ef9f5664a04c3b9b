"""Every response carries the security headers; the API's own CSP loads and frames nothing."""

import pytest

from service_kit.docs import DOCS_CSP
from service_kit.middleware import API_CSP
from tests.shared.test_app_kit import kit_client


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/items/1"),
        ("POST", "/conflict"),
        ("GET", "/no-such-page"),
        ("GET", "/items/not-a-number"),
        ("GET", "/boom"),
        ("GET", "/healthz"),
    ],
)
async def test_api_response_has_nosniff_no_referrer_and_strict_csp(method: str, path: str) -> None:
    async with kit_client() as client:
        response = await client.request(method, path)

    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["content-security-policy"] == API_CSP


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_docs_pages_keep_their_own_csp(page: str) -> None:
    async with kit_client() as client:
        response = await client.get(page)

    assert response.headers.get_list("content-security-policy") == [DOCS_CSP]
    assert response.headers.get_list("x-content-type-options") == ["nosniff"]
    assert response.headers["referrer-policy"] == "no-referrer"
