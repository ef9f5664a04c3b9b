"""make bench: the platform's scenarios, each printed as tables and kept as JSON.

    uv run python -m tests.bench [rush|browse|mixed|growth|all ...] [--quick] [--workers N]

See tests/bench/README.md for what each scenario does and how to read its figures.
"""

import argparse
import asyncio
import signal
import sys
from collections.abc import Coroutine
from typing import Any

from tests.bench import scenarios
from tests.bench.rush import RushSize
from tests.bench.scenarios import Options


async def _with_task_dump(work: Coroutine[Any, Any, int]) -> int:
    """Run `work`; `kill -USR1 <pid>` prints where every task waits (for a run that hangs)."""

    def dump() -> None:
        for task in asyncio.all_tasks():
            task.print_stack(limit=6, file=sys.stderr)

    asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, dump)
    return await work


def _rush_size(text: str) -> RushSize:
    tickets, buyers, attempts, most, *types = (int(part) for part in text.split(","))
    return RushSize(
        tickets=tickets,
        buyers=buyers,
        attempts=attempts,
        max_tickets=most,
        types=types[0] if types else 1,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument(
        "scenarios", nargs="*", default=["all"], choices=[*scenarios.SCENARIOS, "all"]
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a cheap smoke run")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers per service")
    parser.add_argument(
        "--profile",
        action="append",
        default=[],
        metavar="SERVICE",
        help="record py-spy profiles of this service during each load (repeatable)",
    )
    parser.add_argument(
        "--growth-events",
        type=lambda text: tuple(int(level) for level in text.split(",")),
        help="growth's catalogue sizes, e.g. 100,10000 (default 100,10000,100000)",
    )
    parser.add_argument(
        "--growth-bookings-per-buyer",
        type=int,
        help="growth's bookings per buyer at each level (default 10)",
    )
    parser.add_argument(
        "--rush",
        type=_rush_size,
        metavar="TICKETS,BUYERS,ATTEMPTS,MAX[,TYPES]",
        help="the rush's size, e.g. 1000,50,3000,1: 3,000 single-ticket attempts from 50 "
        "buyers (default 1000,200,5000,4); a fifth number sells that many ticket types",
    )
    parser.add_argument(
        "--no-ceiling", action="store_true", help="skip measuring the skeleton's ceiling"
    )
    args = parser.parse_args()
    names = list(scenarios.SCENARIOS) if "all" in args.scenarios else args.scenarios
    options = Options(
        quick=args.quick,
        workers=args.workers,
        ceiling=not args.no_ceiling,
        profile=args.profile,
        growth_events=args.growth_events,
        growth_bookings_per_buyer=args.growth_bookings_per_buyer,
        rush_size=args.rush,
    )
    violations = asyncio.run(_with_task_dump(scenarios.run(names, options)))
    if violations:
        print(f"\n{violations} correctness violations", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
