"""Podman on a machine without Docker Hub: its configuration, a Debian base image, stand-ins."""

import os
import shutil
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
WORK = REPO_ROOT / ".data" / "compose-test"
STANDINS = REPO_ROOT / "deploy" / "compose" / "standins"
CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
BASE_IMAGE = "localhost/event-booking-base/debian-python:bookworm"
# The three third-party services of docker-compose.yml, and the two base images of the app's
# Dockerfile (node to build it, nginx to serve it).
STANDIN_IMAGES = {
    name: f"localhost/event-booking-standin/{name}:test"
    for name in ("postgres", "mongo", "mailpit", "nginx", "node")
}
HOST_NODE = Path("/usr/bin/node")
HOST_NPM = Path("/usr/lib/node_modules/npm")
# crun fails on these machines (setrlimit, cgroups in hybrid mode); runc works.
CONTAINERS_CONF = """\
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]

[engine]
runtime = "runc"
"""
REQUIRED_PROGRAMS = ("podman", "runc", "mmdebstrap")


def environment() -> dict[str, str]:
    """os.environ with CONTAINERS_CONF pointing at this test's configuration."""
    WORK.mkdir(parents=True, exist_ok=True)
    conf = WORK / "containers.conf"
    conf.write_text(CONTAINERS_CONF)
    return {**os.environ, "CONTAINERS_CONF": str(conf)}


def missing_programs() -> list[str]:
    return [program for program in REQUIRED_PROGRAMS if shutil.which(program) is None]


def run(args: list[str], env: dict[str, str], **kwargs: object) -> None:
    print("+", " ".join(args), flush=True)
    subprocess.run(args, env=env, check=True, cwd=REPO_ROOT, **kwargs)  # type: ignore[call-overload]


def image_exists(image: str, env: dict[str, str]) -> bool:
    result = subprocess.run(
        ["podman", "image", "exists", image], env=env, check=False, capture_output=True
    )
    return result.returncode == 0


def ensure_base_image(env: dict[str, str]) -> None:
    """A minimal Debian bookworm with Python 3.11, from Debian's own packages (made once)."""
    if image_exists(BASE_IMAGE, env):
        return
    rootfs = WORK / "rootfs.tar"
    run(
        [
            "mmdebstrap",
            "--variant=minbase",
            "--include=ca-certificates,python3,python3-venv",
            "bookworm",
            str(rootfs),
        ],
        env,
    )
    run(["podman", "import", str(rootfs), BASE_IMAGE], env)
    rootfs.unlink()


def _context(name: str) -> Path:
    """The build context of a stand-in; node's gets this machine's Node.js and npm copied in."""
    if name != "node":
        return STANDINS
    context = WORK / "node-standin"
    shutil.rmtree(context, ignore_errors=True)
    context.mkdir(parents=True)
    shutil.copy2(shutil.which("node") or HOST_NODE, context / "node")
    shutil.copytree(HOST_NPM, context / "npm", symlinks=True)
    return context


def build_standins(env: dict[str, str]) -> None:
    for name, image in STANDIN_IMAGES.items():
        run(
            [
                "podman",
                "build",
                "--quiet",
                "--build-arg",
                f"BASE_IMAGE={BASE_IMAGE}",
                "--secret",
                f"id=ca_bundle,src={CA_BUNDLE}",
                "-f",
                str(STANDINS / f"{name}.Dockerfile"),
                "-t",
                image,
                str(_context(name)),
            ],
            env,
        )
