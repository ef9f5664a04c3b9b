import asyncio

from service_kit.loops import run_periodically


async def test_periodic_job_woken_as_it_is_cancelled_stops() -> None:
    wake = asyncio.Event()
    runs = 0

    async def job() -> None:
        nonlocal runs
        runs += 1

    task = asyncio.create_task(run_periodically(job, interval=3600, name="job", wake=wake))
    await asyncio.sleep(0.01)  # ran once, now waiting to be woken
    # A wake-up and the cancellation arrive together, as when a commit wakes the outbox relay
    # while the app shuts down: the cancellation must win.
    wake.set()
    task.cancel()
    await asyncio.wait({task}, timeout=1)

    assert task.cancelled()
    assert runs == 1
