"""How the project serves its services (`make dev`, the image): no banner, no endless heads."""

from urllib.parse import urlsplit

import httpx

from tests.harness.servers import REPO_ROOT, serve_uvicorn
from tests.utils.hostile import send_huge_header
from tools.devstack.stack import SERVER_OPTIONS

KIT_APP = "tests.shared.kit_app:create_kit_app"


def test_huge_request_header_is_refused_with_400_not_a_hang() -> None:
    with serve_uvicorn(KIT_APP, env={}, options=("--factory", *SERVER_OPTIONS)) as server:
        address = urlsplit(server.url)
        assert address.hostname is not None
        assert address.port is not None

        answer = send_huge_header(address.hostname, address.port)

    assert answer.startswith(b"HTTP/1.1 400"), answer[:100]


def test_served_response_has_no_server_banner() -> None:
    with serve_uvicorn(KIT_APP, env={}, options=("--factory", *SERVER_OPTIONS)) as server:
        response = httpx.get(f"{server.url}/healthz", trust_env=False)

    assert response.status_code == 200
    assert "server" not in response.headers


def test_image_serves_with_the_same_options() -> None:
    dockerfile = (REPO_ROOT / "deploy/docker/service.Dockerfile").read_text()
    command = next(line for line in dockerfile.splitlines() if line.startswith("CMD "))

    assert " ".join(SERVER_OPTIONS) in command
