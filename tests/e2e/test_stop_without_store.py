"""A service whose MongoDB server has gone still stops promptly on SIGTERM."""

import signal
import subprocess

import httpx
import pytest

from tests.harness.servers import serve_uvicorn
from tests.utils.stoppable_mongo import stoppable_mongo

# Kubernetes and compose give a container 10 s between SIGTERM and SIGKILL.
STOP_SECONDS = 10


@pytest.mark.parametrize(
    ("app", "database_variable"),
    [
        ("event-service.app:app", "EVENT_MONGO_DB"),
        ("notification-service.app:app", "NOTIFICATION_MONGO_DB"),
    ],
)
def test_service_with_mongo_gone_stops_within_ten_seconds_of_sigterm(
    app: str, database_variable: str
) -> None:
    with stoppable_mongo() as mongo:
        env = {"ENV": "test", "MONGO_URL": mongo.url, database_variable: "stop_test"}
        with serve_uvicorn(app, env=env) as server:
            mongo.stop()
            # A request in flight and the background loops all meet the missing store.
            answer = httpx.get(f"{server.url}/readyz", timeout=10, trust_env=False)
            assert answer.status_code == 503

            server.process.send_signal(signal.SIGTERM)
            try:
                server.process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                pytest.fail(f"{app} did not stop within {STOP_SECONDS} s of SIGTERM")
