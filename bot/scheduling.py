"""Timers: APScheduler only says when to look; the tables decide what is due."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

log = logging.getLogger(__name__)

Job = Callable[[], Awaitable[int]]


class Timer:
    """Run jobs every few minutes in the running event loop, never two of one at once."""

    def __init__(self) -> None:
        # A memory job store: jobs are rebuilt at start-up, so two processes never share one.
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._running: set[asyncio.Task[Any]] = set()  # job runs in flight, awaited on stop

    def every(self, minutes: float, name: str, job: Job) -> None:
        """Run job now and then every `minutes` (a missed run is not repeated)."""

        async def run() -> None:
            task = asyncio.current_task()
            if task is not None:
                self._running.add(task)
                task.add_done_callback(self._running.discard)
            try:
                done = await job()
            except Exception:
                log.exception("timer job %s failed; it runs again at the next tick", name)
            else:
                log.debug("timer job %s: %d done", name, done)

        self._scheduler.add_job(
            run,
            IntervalTrigger(minutes=minutes, timezone=UTC),
            id=name,
            next_run_time=datetime.now(UTC),
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )

    @property
    def running(self) -> bool:
        """Say whether the timer ticks."""
        return bool(self._scheduler.running)

    def start(self) -> None:
        """Start ticking (needs a running event loop)."""
        self._scheduler.start()

    async def stop(self) -> None:
        """Stop ticking, cancel the job runs in flight and wait until they have ended."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)  # cancels what it started, but cannot wait
        running = list(self._running)
        for task in running:
            task.cancel()
        # A job's own session rolls back when cancelled; the engine may close after this.
        await asyncio.gather(*running, return_exceptions=True)
