"""Plumbing shared by the fake Discord and the fake Slack."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar, cast

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
