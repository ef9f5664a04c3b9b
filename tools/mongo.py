"""`make mongo`: SecantusDB (MongoDB's wire protocol) on :27017, with a line once it is ready.

uv run python -m tools.mongo [--port 27017] [--dir .data/mongo]
"""

import argparse
import signal
import subprocess
import sys
import time
from pathlib import Path

from tools.devstack.ports import port_taken

READY_TIMEOUT = 30.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=27017)
    parser.add_argument("--dir", type=Path, default=Path(".data/mongo"))
    args = parser.parse_args()
    if port_taken(args.port):
        print(f"port {args.port} is taken: a MongoDB (or `make mongo`) is already running there")
        return 1
    args.dir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "secantus", "--port", str(args.port)]
    server = subprocess.Popen([*command, "--storage-path", str(args.dir), "--log-level", "WARNING"])
    signal.signal(signal.SIGTERM, lambda *_: server.terminate())
    deadline = time.monotonic() + READY_TIMEOUT
    while not port_taken(args.port):
        if server.poll() is not None or time.monotonic() > deadline:
            print("SecantusDB did not start; see its output above")
            server.kill()
            return 1
        time.sleep(0.1)
    print(
        f"MongoDB-compatible server ready: MONGO_URL=mongodb://localhost:{args.port} "
        f"(data in {args.dir}); Ctrl-C stops it",
        flush=True,
    )
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.terminate()
        return server.wait()


if __name__ == "__main__":
    sys.exit(main())
