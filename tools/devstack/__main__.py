"""`make dev`: start the platform, wait until it is ready, seed it once, stop it on Ctrl-C.

    uv run python -m tools.devstack

honcho runs the processes (each in its own process group, so `--reload` children and npm's
node die with them), prefixes every log line with the process's name, and stops all of them
when one exits or on one Ctrl-C.
"""

import os
import sys
import threading
import time

import httpx
from honcho.manager import Manager

from tools.devstack.ports import port_taken
from tools.devstack.seed import seed_demo_data
from tools.devstack.stack import DEMO_ADMIN, DEMO_ORGANIZER, DEMO_USER, Stack, build_stack

READY_TIMEOUT = 120.0
SEEDED_MARKER = "demo-seeded"


def _say(text: str) -> None:
    print(f"\033[1mdev |\033[0m {text}", flush=True)


def _taken_ports(stack: Stack) -> list[str]:
    return [
        f"port {process.port} ({process.name}) is taken"
        for process in stack.processes
        if port_taken(process.port)
    ]


def _wait_until_ready(stack: Stack, stop: threading.Event) -> bool:
    deadline = time.monotonic() + READY_TIMEOUT
    pending = {p.name: p for p in stack.processes if p.ready_path is not None}
    with httpx.Client(timeout=2) as client:
        while pending and not stop.is_set():
            for name, process in list(pending.items()):
                try:
                    answer = client.get(f"http://localhost:{process.port}{process.ready_path}")
                except httpx.HTTPError:
                    continue
                if answer.status_code == 200:
                    del pending[name]
            if time.monotonic() > deadline:
                _say(f"not ready after {READY_TIMEOUT:.0f}s: {', '.join(pending)}; see the logs")
                return False
            stop.wait(0.3)
    return not pending


def _banner(stack: Stack) -> None:
    lines = [
        "the platform is ready",
        f"  app                    {stack.url('web')}",
        *(
            f"  {name:<22} {stack.url(name)}/docs"
            for name in ("user-service", "event-service", "booking-service", "notification-service")
        ),
        f"  mailbox                {stack.data / 'mail'} (one .eml file per email)"
        if stack.embedded_mail
        else "  mailbox                your SMTP server (SMTP_HOST)",
        f"  data                   {stack.data} (delete it to start afresh)",
        "  demo accounts (email / password):",
        f"    admin                {DEMO_ADMIN[0]} / {DEMO_ADMIN[1]}",
        f"    organizer            {DEMO_ORGANIZER[0]} / {DEMO_ORGANIZER[1]}",
        f"    user                 {DEMO_USER[0]} / {DEMO_USER[1]}",
        "press Ctrl-C once to stop everything",
    ]
    for line in lines:
        _say(line)


def _when_ready(stack: Stack, stop: threading.Event) -> None:
    started = time.monotonic()
    if not _wait_until_ready(stack, stop):
        return
    marker = stack.data / SEEDED_MARKER
    if not marker.exists():
        _say("first run: adding demo accounts and events")
        try:
            count = seed_demo_data(
                users_url=stack.url("user-service"),
                events_url=stack.url("event-service"),
                bookings_url=stack.url("booking-service"),
            )
        except httpx.HTTPStatusError as exc:
            answer = exc.response
            _say(
                f"could not add the demo data: {answer.request.method} {answer.request.url} "
                f"answered {answer.status_code} {answer.text[:300]}; tried again next start"
            )
        except httpx.HTTPError as exc:
            _say(f"could not add the demo data ({exc!r}); it will be tried again next start")
        else:
            marker.write_text(f"{count} events\n")
    _say(f"ready in {time.monotonic() - started:.1f}s")
    _banner(stack)


def main() -> int:
    stack = build_stack()
    clashes = _taken_ports(stack)
    if clashes:
        for clash in clashes:
            _say(f"cannot start: {clash}.")
        _say(
            "stop whatever holds it (`ss -ltnp` shows the process; an earlier `make dev` or a "
            "service started by hand), or point at your own store with MONGO_URL / SMTP_HOST."
        )
        return 1
    stack.data.mkdir(parents=True, exist_ok=True)
    manager = Manager()
    for process in stack.processes:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **process.env}
        manager.add_process(process.name, process.command, env=env, cwd=str(process.cwd))
    stop = threading.Event()
    watcher = threading.Thread(target=_when_ready, args=(stack, stop), daemon=True)
    watcher.start()
    try:
        manager.loop()
    finally:
        stop.set()
    return manager.returncode or 0


if __name__ == "__main__":
    sys.exit(main())
