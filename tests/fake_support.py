"""Plumbing shared by the fake Discord and the fake Slack."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar, cast

from aiohttp import web

T = TypeVar("T")


class ChangeSignal:
    """Wake waiters whenever a fake's state changes.

    One condition for every kind of change keeps waiting in one place: tests await a predicate
    with a deadline instead of sleeping and polling.
    """

    def __init__(self, name: str) -> None:
        self._name = name  # "fake Discord", "fake Slack": named in timeout messages
        self._condition = asyncio.Condition()

    async def notify(self) -> None:
        """Wake every waiter so it re-checks its predicate."""
        async with self._condition:
            self._condition.notify_all()

    async def wait_for(self, predicate: Callable[[], T | None], timeout: float, what: str) -> T:
        """Wait until `predicate()` is truthy and return its value, or raise TimeoutError."""
        async with self._condition:
            try:
                result = await asyncio.wait_for(self._condition.wait_for(predicate), timeout)
            except TimeoutError:
                raise TimeoutError(f"{self._name}: no {what} within {timeout} s") from None
            return cast(T, result)


class LocalServer:
    """An aiohttp app served on 127.0.0.1 at a free port (each fake runs one)."""

    def __init__(self) -> None:
        self._runner: web.AppRunner | None = None
        self.base_url = ""  # http://127.0.0.1:PORT once started

    async def start(self, app: web.Application) -> str:
        """Serve app and return its base URL."""
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}"
        return self.base_url

    async def stop(self) -> None:
        """Stop serving (a second call does nothing)."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
