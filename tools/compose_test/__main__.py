"""`make compose-test`: build docker-compose.yml's images with Podman, run the stack, walk the
booking journey through the gateway, and tear everything down (volumes included).

    uv run python -m tools.compose_test [--keep]

Needs podman, runc and mmdebstrap (`apt-get install -y podman runc mmdebstrap`).
"""

import argparse
import subprocess
import sys
import time

from tools.compose_env import fill
from tools.compose_test.journey import run_journey, wait_until_ready
from tools.compose_test.podman import (
    BASE_IMAGE,
    REPO_ROOT,
    REQUIRED_PROGRAMS,
    STANDIN_IMAGES,
    WORK,
    build_standins,
    ensure_base_image,
    environment,
    missing_programs,
    run,
)

PROJECT = "event-booking-test"
GATEWAY = "http://localhost:8080"
MAILPIT = "http://localhost:8025"


def _compose(env: dict[str, str], *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "podman_compose",
        "--env-file",
        str(WORK / ".env"),
        "-f",
        "docker-compose.yml",
        "-f",
        "deploy/compose/compose.test.yml",
        "-p",
        PROJECT,
        *args,
    ]


def _read_env(name: str) -> str:
    for line in (WORK / ".env").read_text().splitlines():
        key, _, value = line.partition("=")
        if key == name:
            return value
    raise KeyError(name)


def main() -> int:
    parser = argparse.ArgumentParser(description="docker compose, built and run for real")
    parser.add_argument("--keep", action="store_true", help="leave the stack running")
    args = parser.parse_args()
    missing = missing_programs()
    if missing:
        print(
            f"compose-test needs {', '.join(missing)}: apt-get install -y "
            f"{' '.join(REQUIRED_PROGRAMS)}",
            file=sys.stderr,
        )
        return 2
    started = time.monotonic()
    env = environment()
    ensure_base_image(env)
    build_standins(env)
    fill(REPO_ROOT / ".env.example", WORK / ".env")
    env["PYTHON_BASE_IMAGE"] = BASE_IMAGE
    env["NODE_IMAGE"] = STANDIN_IMAGES["node"]
    env["NGINX_IMAGE"] = STANDIN_IMAGES["nginx"]
    try:
        run(_compose(env, "up", "-d", "--build"), env)
        wait_until_ready(GATEWAY)
        steps = run_journey(
            gateway=GATEWAY,
            mailpit=MAILPIT,
            organizer=(_read_env("ORGANIZER_EMAIL"), _read_env("ORGANIZER_PASSWORD")),
        )
        for step in steps:
            print(f"journey: {step}", flush=True)
    except Exception:
        subprocess.run(_compose(env, "logs", "--tail", "40"), env=env, cwd=REPO_ROOT, check=False)
        raise
    finally:
        if not args.keep:
            run(_compose(env, "down", "-v"), env)
    print(f"compose-test passed in {time.monotonic() - started:.0f}s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
