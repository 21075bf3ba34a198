"""Timers: APScheduler only says when to look; the tables decide what is due."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
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

    def every(self, minutes: float, name: str, job: Job, *, at_start: bool = True) -> None:
        """Run job every `minutes`, the first time now or after one interval.

        A missed run is not repeated. A job that needs the platforms (reminders) waits one
        interval, so it never claims a reminder before the adapters have connected.
        """

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

        interval = timedelta(minutes=minutes)
        self._scheduler.add_job(
            run,
            IntervalTrigger(minutes=minutes, timezone=UTC),
            id=name,
            next_run_time=datetime.now(UTC) + (timedelta(0) if at_start else interval),
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

    async def stop(self, grace: float = 5.0) -> None:
        """Stop ticking; give runs in flight `grace` seconds to finish, then cancel them.

        Called before the adapters close, so a reminder being sent is not cut off between
        claiming the day and sending the DM; whatever is still running after grace is cancelled
        (its session rolls back) and awaited, so the engine may close after this.
        """
        if self._scheduler.running:
            self._scheduler.pause()  # no new runs; shutdown() would cancel the current ones
        pending = set(self._running)
        if pending:
            _, pending = await asyncio.wait(pending, timeout=grace)
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
