"""A service started before its store says so in one line, naming the setting, then exits."""

import os
import subprocess
import sys

import pytest

from service_kit.stores import redact
from tests.harness.ports import free_port
from tests.harness.servers import REPO_ROOT


@pytest.mark.parametrize(
    ("app", "env", "expected"),
    [
        (
            "event-service.app:app",
            {"MONGO_URL": "mongodb://localhost:{port}/?serverSelectionTimeoutMS=500"},
            "cannot reach MongoDB at MONGO_URL=mongodb://localhost:{port}",
        ),
        (
            "notification-service.app:app",
            {"MONGO_URL": "mongodb://localhost:{port}/?serverSelectionTimeoutMS=500"},
            "make mongo",
        ),
        (
            "user-service.app:app",
            {"USER_DATABASE_URL": "postgresql://users:s3cret@127.0.0.1:{port}/users"},
            "cannot reach the database at USER_DATABASE_URL="
            "postgresql://users:***@127.0.0.1:{port}/users",
        ),
        (
            "booking-service.app:app",
            {"BOOKING_DATABASE_URL": "postgresql://127.0.0.1:{port}/bookings"},
            "createdb",
        ),
    ],
)
def test_service_without_its_store_exits_with_one_clear_line(
    app: str, env: dict[str, str], expected: str
) -> None:
    port = free_port()  # nothing listens there
    values = {name: value.format(port=port) for name, value in env.items()}
    result = subprocess.run(
        [sys.executable, "-m", "uvicorn", app, "--port", str(free_port())],
        cwd=REPO_ROOT,
        env={**os.environ, "ENV": "test", "LOG_JSON": "false", **values},
        capture_output=True,
        timeout=60,
        check=False,
    )
    output = (result.stdout + result.stderr).decode()
    assert result.returncode != 0
    assert expected.format(port=port) in output, output
    assert "Traceback" not in output, output
    assert "s3cret" not in output


def test_redact_hides_only_the_password() -> None:
    assert redact("postgresql://u:pw@db:5432/x") == "postgresql://u:***@db:5432/x"
    assert redact("mongodb://db:27017/?replicaSet=rs0") == "mongodb://db:27017/?replicaSet=rs0"
