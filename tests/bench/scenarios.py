"""The scenarios of `make bench`, each on a fresh platform, with the ceiling they compare to."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any

from tests.bench import browse as browsing
from tests.bench import growth as growing
from tests.bench import mixed as mixing
from tests.bench import report
from tests.bench import rush as rushing
from tests.bench.ceiling import measure_ceiling
from tests.bench.checks import Expected, check
from tests.bench.load import client, register_buyers
from tests.bench.platform import admin_token, run_platform
from tests.bench.seed import seed_events


@dataclass
class Options:
    quick: bool = False
    workers: int = 1
    ceiling: bool = True
    profile: list[str] = field(default_factory=list)
    growth_events: tuple[int, ...] | None = None
    growth_bookings_per_buyer: int | None = None
    rush_size: rushing.RushSize | None = None
    ceilings: dict[int, dict[str, Any]] = field(default_factory=dict)

    @property
    def delivery_wait_seconds(self) -> float:
        return 60 if self.quick else 180

    async def ceiling_at(self, concurrency: int, requests: int) -> dict[str, Any]:
        """The skeleton's figures at this many concurrent callers (measured once per run)."""
        if not self.ceiling:
            return {"booking_ceiling_per_s": None}
        if concurrency not in self.ceilings:
            print(f"measuring the ceiling at {concurrency} concurrent callers ...", flush=True)
            self.ceilings[concurrency] = await measure_ceiling(
                requests=requests, concurrency=concurrency, workers=self.workers
            )
        return self.ceilings[concurrency]


async def rush(options: Options) -> dict[str, Any]:
    size = options.rush_size or (rushing.QUICK if options.quick else rushing.FULL)
    ceiling = await options.ceiling_at(size.buyers, min(size.attempts, 2000))
    with run_platform(workers=options.workers) as platform:
        outcome = await rushing.run_rush(platform, size, profile=options.profile)
        correctness = check(platform, outcome.expected, wait_seconds=options.delivery_wait_seconds)
    figures = {
        "workers": options.workers,
        **outcome.figures,
        **ceiling,
        "ratio_to_ceiling": report.ratio(
            outcome.figures["bookings_per_s"], ceiling["booking_ceiling_per_s"]
        ),
        **correctness.as_dict(),
    }
    report.print_table(
        f"rush: {size.tickets} tickets, {size.buyers} buyers, {size.attempts} attempts of "
        f"1-{size.max_tickets} tickets, {options.workers} worker(s) per service",
        ["figure", "value"],
        [
            [key, figures.get(key)]
            for key in (
                "statuses",
                "elapsed_s",
                "requests_per_s",
                "sold_out_after_s",
                "bookings_per_s",
                "sold_90pct_after_s",
                "bookings_per_s_to_90pct",
                "booking_ceiling_per_s",
                "ratio_to_ceiling",
                "p50_ms",
                "p99_ms",
                "confirmed_p99_ms",
                "refused_p99_ms",
                "ceiling_p50_ms",
                "ceiling_p99_ms",
                "timeouts",
                "store_ops_per_booking",
            )
        ],
    )
    print_cpu(figures)
    print_correctness(figures)
    return figures


def print_cpu(figures: dict[str, Any]) -> None:
    measured = figures.get("cpu_cores", {})
    ceiling = figures.get("ceiling_cpu_cores", {})
    rows = [[label, cores, None] for label, cores in measured.items()]
    rows += [[label, None, cores] for label, cores in ceiling.items()]
    report.print_table("CPU (cores busy during the load)", ["process", "run", "ceiling"], rows)


def print_correctness(figures: dict[str, Any]) -> None:
    keys = (
        "oversold",
        "accounting_mismatches",
        "pending_left",
        "releases_owed",
        "notifications_missing",
        "notifications_duplicated",
        "emails_missing",
        "emails_duplicated",
        "events_checked",
        "notification_lag_p50_ms",
        "notification_lag_p99_ms",
        "email_lag_p50_ms",
        "email_lag_p99_ms",
        "delivery_drained_after_s",
        "violations",
    )
    report.print_table("correctness", ["check", "value"], [[key, figures[key]] for key in keys])


NOT_BOOKING = {"bookings_per_s": None, "booking_ceiling_per_s": None, "ratio_to_ceiling": None}


async def browse(options: Options) -> dict[str, Any]:
    size = browsing.QUICK if options.quick else browsing.FULL
    with run_platform(workers=options.workers) as platform:
        event_ids = seed_events(platform, size.events)
        by_kind, cores = await browsing.browse(
            platform, event_ids, seconds=size.seconds, concurrency=size.concurrency
        )
        correctness = check(platform, Expected(), wait_seconds=0)
    everything = by_kind["all"]
    figures = {
        "workers": options.workers,
        "events": size.events,
        "seconds": size.seconds,
        "concurrency": size.concurrency,
        "requests_per_s": round(everything.per_second, 1),
        **NOT_BOOKING,
        "p50_ms": everything.latency_ms(50),
        "p99_ms": everything.latency_ms(99),
        "cpu_cores": cores,
        **correctness.as_dict(),
    }
    rows = browsing.browse_rows(by_kind)
    figures["by_kind"] = {row[0]: dict(zip(BY_KIND, row[1:], strict=True)) for row in rows}
    report.print_table(
        f"browse: {size.events:,} events, {size.seconds:g} s of anonymous reads at concurrency "
        f"{size.concurrency}, {everything.per_second:.0f} requests/s",
        ["kind", *BY_KIND],
        rows,
    )
    print_cpu(figures)
    print_correctness(figures)
    return figures


BY_KIND = ["requests", "statuses", "p50_ms", "p99_ms"]
BY_OPERATION = ["requests", "statuses", "per_s", "p50_ms", "p99_ms"]
GROWTH = ["figure", "work", "statuses", "per_s", "p50_ms", "p99_ms"]


async def mixed(options: Options) -> dict[str, Any]:
    size = mixing.QUICK if options.quick else mixing.FULL
    ceiling = await options.ceiling_at(size.concurrency, 2000 if not options.quick else 200)
    with run_platform(workers=options.workers) as platform:
        outcome = await mixing.run_mixed(platform, size)
        correctness = check(platform, outcome.expected, wait_seconds=options.delivery_wait_seconds)
    booked = outcome.results.get("book")
    confirmed = booked.statuses[201] if booked else 0
    bookings_per_s = round(confirmed / size.seconds, 1)
    rows = mixing.mixed_rows(outcome.results)
    figures = {
        "workers": options.workers,
        "events": size.events,
        "concurrency": size.concurrency,
        "seconds": size.seconds,
        "bookings_per_s": bookings_per_s,
        **ceiling,
        "ratio_to_ceiling": report.ratio(bookings_per_s, ceiling["booking_ceiling_per_s"]),
        "p50_ms": booked.latency_ms(50) if booked else None,
        "p99_ms": booked.latency_ms(99) if booked else None,
        "operations": {row[0]: dict(zip(BY_OPERATION, row[1:], strict=True)) for row in rows},
        "cpu_cores": outcome.cores,
        **correctness.as_dict(),
    }
    report.print_table(
        f"mixed: {size.seconds:g} s of browsing, booking and cancelling over {size.events} "
        f"events at concurrency {size.concurrency}",
        ["operation", *BY_OPERATION],
        rows,
    )
    report.print_table(
        "booking",
        ["figure", "value"],
        [
            [key, figures[key]]
            for key in (
                "bookings_per_s",
                "booking_ceiling_per_s",
                "ratio_to_ceiling",
                "p50_ms",
                "p99_ms",
            )
        ],
    )
    print_cpu(figures)
    print_correctness(figures)
    return figures


async def growth(options: Options) -> dict[str, Any]:
    size = growing.QUICK if options.quick else growing.FULL
    if options.growth_events:
        size = replace(size, event_levels=options.growth_events)
    if options.growth_bookings_per_buyer:
        size = replace(size, attempts_per_buyer=options.growth_bookings_per_buyer)
    top = max(size.buyer_levels)
    ceiling = await options.ceiling_at(top, min(top * size.attempts_per_buyer, 2000))
    with run_platform(workers=options.workers) as platform:
        async with client(platform.users, 8) as users:
            admin = await admin_token(users)
            buyers = await register_buyers(users, top + 1)
        rows, expected = await growing.run_growth(platform, buyers, admin, size)
        correctness = check(platform, expected, wait_seconds=options.delivery_wait_seconds)
    table = [row.cells() for row in rows]
    busiest = rows[len(size.buyer_levels) - 1].result
    bookings_per_s = round(busiest.statuses[201] / busiest.elapsed, 1)
    figures = {
        "workers": options.workers,
        "bookings_per_s": bookings_per_s,
        **ceiling,
        "ratio_to_ceiling": report.ratio(bookings_per_s, ceiling["booking_ceiling_per_s"]),
        "p50_ms": busiest.latency_ms(50),
        "p99_ms": busiest.latency_ms(99),
        "table": [dict(zip(GROWTH, cells, strict=True)) for cells in table],
        **correctness.as_dict(),
    }
    report.print_table(
        f"growth ({size.read_seconds:g} s of reads per row at concurrency "
        f"{size.read_concurrency}; "
        f"{size.attempts_per_buyer} bookings per buyer)",
        GROWTH,
        table,
    )
    print_correctness(figures)
    return figures


SCENARIOS: dict[str, Callable[[Options], Awaitable[dict[str, Any]]]] = {
    "rush": rush,
    "browse": browse,
    "mixed": mixed,
    "growth": growth,
}


async def run(names: list[str], options: Options) -> int:
    """Run the named scenarios; returns the correctness violations found in all of them."""
    violations = 0
    for name in names:
        figures = await SCENARIOS[name](options)
        report.save(name, figures)
        violations += figures["violations"]
    return violations
