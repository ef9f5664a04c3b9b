"""Write each service's OpenAPI document as JSON, without starting a server.

The browser app's typed client is generated from these files (`make openapi`)::

    uv run python scripts/dump_openapi.py frontend-service/openapi
"""

import argparse
import importlib
import json
import os
from pathlib import Path

# file name -> the module whose create_app() builds that service
SERVICES = {
    "users": "user_service.main",
    "events": "event_service.main",
    "bookings": "booking_service.main",
    "notifications": "notification_service.main",
}


def dump(directory: Path) -> list[Path]:
    # Development settings and quiet logs: the documents must not depend on who runs this.
    os.environ["ENV"] = "development"
    os.environ["LOG_LEVEL"] = "WARNING"
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, module in SERVICES.items():
        app = importlib.import_module(module).create_app()
        path = directory / f"{name}.json"
        path.write_text(json.dumps(app.openapi(), indent=2, ensure_ascii=False) + "\n")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("directory", type=Path, help="where the <service>.json files go")
    args = parser.parse_args()
    for path in dump(args.directory):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
