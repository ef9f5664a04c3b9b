"""Ticket reservations per second through event-service alone, over TCP.

    uv run python -m tests.bench.reservations [--tickets 2000] [--requests 3000] [--concurrency 64]

Fires single-ticket reservations at one event with a service token, as booking-service does,
then prints the throughput, latencies and the accounting check. Asserts nothing about time.
"""

import argparse
import asyncio

import httpx

from tests.bench.load import client, create_event, fire
from tests.bench.platform import Platform, admin_token, run_platform, service_token


async def run(platform: Platform, args: argparse.Namespace) -> None:
    async with client(platform.users, 1) as users:
        admin = await admin_token(users)
        headers = {"Authorization": f"Bearer {await service_token(users)}"}
    async with client(platform.events, args.concurrency) as events:
        event_id = await create_event(events, admin, args.tickets, "Reservations")

        async def reserve(index: int) -> httpx.Response:
            return await events.put(
                f"/events/{event_id}/update_tickets",
                headers=headers,
                json={"delta": -1, "reference": f"bench-{index}"},
            )

        result = await fire(args.requests, args.concurrency, reserve)
        final = (await events.get(f"/events/{event_id}")).json()
    sold = final["total_tickets"] - final["available_tickets"]
    print(f"requests          {args.requests} at concurrency {args.concurrency}")
    print(f"statuses          {dict(result.statuses)}")
    print(f"requests/second   {result.per_second:.0f}")
    print(f"latency p50/p99   {result.latency_ms(50):.1f} / {result.latency_ms(99):.1f} ms")
    print(f"sold {sold} of {final['total_tickets']}; reserved {result.statuses[200]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--tickets", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    with run_platform(workers=args.workers) as platform:
        asyncio.run(run(platform, args))


if __name__ == "__main__":
    main()
