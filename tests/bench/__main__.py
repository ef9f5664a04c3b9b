"""make bench: the platform's scenarios, each printed as tables and kept as JSON.

    uv run python -m tests.bench [rush|browse|mixed|growth|all ...] [--quick] [--workers N]

See tests/bench/README.md for what each scenario does and how to read its figures.
"""

import argparse
import asyncio
import sys

from tests.bench import scenarios
from tests.bench.scenarios import Options


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument(
        "scenarios", nargs="*", default=["all"], choices=[*scenarios.SCENARIOS, "all"]
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a cheap smoke run")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers per service")
    parser.add_argument(
        "--no-ceiling", action="store_true", help="skip measuring the skeleton's ceiling"
    )
    args = parser.parse_args()
    names = list(scenarios.SCENARIOS) if "all" in args.scenarios else args.scenarios
    options = Options(quick=args.quick, workers=args.workers, ceiling=not args.no_ceiling)
    violations = asyncio.run(scenarios.run(names, options))
    if violations:
        print(f"\n{violations} correctness violations", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
