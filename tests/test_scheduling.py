"""The timer: APScheduler in the running loop, a job run at start and again, failures logged."""

from __future__ import annotations

import asyncio

import pytest

from bot.scheduling import Timer


async def test_a_job_runs_at_start_and_keeps_running_after_a_failure(
    caplog: pytest.LogCaptureFixture,
) -> None:
    runs: list[int] = []
    again = asyncio.Event()

    async def job() -> int:
        runs.append(len(runs))
        if len(runs) == 1:
            raise RuntimeError("platform down")
        again.set()
        return 1

    timer = Timer()
    timer.every(0.002, "test-job", job)  # about every 0.1 s
    timer.start()
    try:
        await asyncio.wait_for(again.wait(), 5)
    finally:
        await timer.stop()
    assert len(runs) >= 2
    assert "timer job test-job failed" in caplog.text


async def test_stop_without_start_is_harmless() -> None:
    await Timer().stop()


@pytest.mark.parametrize(
    ("run_seconds", "grace", "finished"),
    [
        # A reminder being sent when shutdown begins is delivered, not cut off after its claim.
        (0.1, 5.0, True),
        # A run still working after the grace is cancelled and awaited: the engine closes next.
        (60.0, 0.05, False),
    ],
)
async def test_stop_waits_for_a_run_in_flight_then_cancels_it(
    run_seconds: float, grace: float, finished: bool
) -> None:
    started, ended, completed = asyncio.Event(), asyncio.Event(), asyncio.Event()

    async def run() -> int:
        started.set()
        try:
            await asyncio.sleep(run_seconds)
            completed.set()
        finally:
            ended.set()
        return 1

    timer = Timer()
    timer.every(60, "run", run)
    timer.start()
    await asyncio.wait_for(started.wait(), 5)
    await timer.stop(grace=grace)
    assert ended.is_set() and completed.is_set() is finished


async def test_a_job_may_wait_one_interval_before_its_first_run() -> None:
    runs: list[int] = []

    async def job() -> int:
        runs.append(1)
        return 1

    timer = Timer()
    timer.every(60, "later", job, at_start=False)
    timer.start()
    await asyncio.sleep(0.05)
    await timer.stop()
    assert runs == []
