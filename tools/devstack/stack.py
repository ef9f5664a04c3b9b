"""What `make dev` runs: the processes, their environment, and the ports they need."""

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
MONGO_PORT = 27017
SMTP_PORT = 1025
WEB_PORT = 5173

DEMO_ADMIN = ("admin@example.com", "demo admin password")
DEMO_ORGANIZER = ("organizer@example.com", "demo organizer password")
DEMO_USER = ("user@example.com", "demo user password")


@dataclass(frozen=True)
class Service:
    name: str
    port: int
    app: str  # the seed's uvicorn target, from the repo root
    source: str  # its folder, watched for --reload


# How the project serves its services (deploy/docker/service.Dockerfile's CMD says the same): no
# server banner, and uvicorn's h11 parser, whose buffer limit refuses a very large request head
# with 400 (httptools, uvicorn's default when installed, accepts headers of any size).
SERVER_OPTIONS = (
    "--no-server-header",
    "--http",
    "h11",
    "--h11-max-incomplete-event-size",
    "65536",
)

SERVICES = (
    Service("user-service", 8000, "user-service.app:app", "user-service"),
    Service("event-service", 8001, "event-service.app:app", "event-service"),
    Service("booking-service", 8002, "booking-service.app:app", "booking-service"),
    Service("notification-service", 8003, "notification-service.app:app", "notification-service"),
)


@dataclass(frozen=True)
class Process:
    name: str
    command: str
    port: int
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path = REPO_ROOT
    ready_path: str | None = None  # polled over HTTP once started; None: a listening port will do


@dataclass(frozen=True)
class Stack:
    data: Path
    processes: list[Process]
    embedded_mongo: bool
    embedded_mail: bool

    def url(self, name: str) -> str:
        port = next(process.port for process in self.processes if process.name == name)
        return f"http://localhost:{port}"


def _quote(value: str | Path) -> str:
    text = str(value)
    return f"'{text}'" if " " in text else text


def build_stack(environ: Mapping[str, str] = os.environ) -> Stack:
    """The processes for this machine: embedded stores unless real ones are configured."""
    data = Path(environ.get("DEV_DATA_DIR", REPO_ROOT / ".data")).resolve()
    python = _quote(sys.executable)
    processes: list[Process] = []
    embedded_mongo = "MONGO_URL" not in environ
    embedded_mail = "SMTP_HOST" not in environ
    if embedded_mongo:
        processes.append(
            Process(
                "mongo",
                f"{python} -m secantus --port {MONGO_PORT} --storage-path {_quote(data / 'mongo')}"
                " --log-level WARNING",
                MONGO_PORT,
            )
        )
    if embedded_mail:
        processes.append(
            Process(
                "mail",
                f"{python} -m tests.harness.smtp --port {SMTP_PORT} --dir {_quote(data / 'mail')}",
                SMTP_PORT,
            )
        )
    common = {
        "LOG_JSON": environ.get("LOG_JSON", "false"),
        "MONGO_URL": environ.get("MONGO_URL", f"mongodb://localhost:{MONGO_PORT}"),
    }
    own: dict[str, dict[str, str]] = {
        "user-service": {
            "USER_DATABASE_URL": environ.get(
                "USER_DATABASE_URL", f"sqlite:///{data / 'user-service.db'}"
            ),
            "JWT_DEV_KEY_FILE": environ.get(
                "JWT_DEV_KEY_FILE", str(data / "user-service" / "jwt-signing-key.pem")
            ),
            "ADMIN_EMAIL": environ.get("ADMIN_EMAIL", DEMO_ADMIN[0]),
            "ADMIN_PASSWORD": environ.get("ADMIN_PASSWORD", DEMO_ADMIN[1]),
            "ADMIN_FULL_NAME": environ.get("ADMIN_FULL_NAME", "Demo Admin"),
            "ORGANIZER_EMAIL": environ.get("ORGANIZER_EMAIL", DEMO_ORGANIZER[0]),
            "ORGANIZER_PASSWORD": environ.get("ORGANIZER_PASSWORD", DEMO_ORGANIZER[1]),
            "ORGANIZER_FULL_NAME": environ.get("ORGANIZER_FULL_NAME", "Olivia Organizer"),
        },
        "booking-service": {
            "BOOKING_DATABASE_URL": environ.get(
                "BOOKING_DATABASE_URL", f"sqlite:///{data / 'booking-service.db'}"
            ),
        },
        "notification-service": {
            "SMTP_HOST": environ.get("SMTP_HOST", "localhost"),
            "SMTP_PORT": environ.get("SMTP_PORT", str(SMTP_PORT)),
        },
    }
    for service in SERVICES:
        processes.append(
            Process(
                service.name,
                f"{python} -m uvicorn {service.app} --host 0.0.0.0 --port {service.port}"
                f" {' '.join(SERVER_OPTIONS)}"
                f" --reload --reload-dir {service.source} --reload-dir shared",
                service.port,
                env={**common, **own.get(service.name, {})},
                ready_path="/readyz",
            )
        )
    processes.append(
        Process(
            "web",
            "npm run dev",  # vite on 5173, --strictPort (package.json)
            WEB_PORT,
            cwd=REPO_ROOT / "frontend-service",
            ready_path="/",
        )
    )
    return Stack(
        data=data,
        processes=processes,
        embedded_mongo=embedded_mongo,
        embedded_mail=embedded_mail,
    )
