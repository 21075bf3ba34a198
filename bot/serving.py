"""Serving the platforms: every adapter runs on its own; one that fails leaves the others."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.core.messages import Platform
from bot.platform_setup import completers
from bot.platforms import PlatformsStopped

if TYPE_CHECKING:
    from bot.app import BotContext
    from bot.platform_setup import Adapter

log = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


async def serve(adapter: Adapter, bot: BotContext) -> None:
    """Run one adapter against the bot until it is closed."""
    threads = bot.prompt_threads
    if adapter.platform is Platform.DISCORD:  # no isinstance: discord.py stays unloaded
        await adapter.run(bot.dispatcher.handle, completers(bot.topics), threads)
    else:
        await adapter.run(bot.dispatcher.handle, threads)


async def serve_until_stopped(bot: BotContext, adapters: Sequence[Adapter]) -> None:
    """Serve every adapter until SIGTERM or SIGINT, or until none is left.

    An adapter that stops (a refused token, an unreachable server) is logged in one line and
    the others keep serving; when the last one stops, PlatformsStopped says why. Shutdown
    stops the timers, then all adapters' intake at once; open_bot drains the rest.
    """
    serving = {asyncio.create_task(serve(a, bot), name=f"serve {a.platform_name}"): a
               for a in adapters}  # fmt: skip
    bot.start_timers()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in STOP_SIGNALS:
        # A container stop (SIGTERM) closes connections cleanly instead of dying mid-reply.
        loop.add_signal_handler(signal_number, stop.set)
    stopping = asyncio.create_task(stop.wait())
    running = set(serving)
    last_words: list[str] = []
    try:
        while running and not stop.is_set():
            done, _ = await asyncio.wait([*running, stopping], return_when=asyncio.FIRST_COMPLETED)
            running -= done
            for task, adapter in serving.items():
                if task not in done:
                    continue
                why = why_stopped(adapter, task)
                if running:
                    still = ", ".join(sorted(serving[t].platform_name for t in running))
                    log.error("%s; still serving: %s", why, still)
                else:
                    last_words.append(why)
        if stop.is_set():
            log.info("shutting down")
    finally:
        # Timers first, while the platforms can still deliver what a run is sending; then
        # intake: each adapter lets its replies in flight finish, all at once.
        await bot.timer.stop()
        closed = await asyncio.gather(*(a.close() for a in adapters), return_exceptions=True)
        for adapter, error in zip(adapters, closed, strict=True):
            if isinstance(error, Exception):
                log.error("%s did not close cleanly: %s", adapter.platform_name,
                          _one_line(adapter, error))  # fmt: skip
                log.debug("closing %s failed", adapter.platform_name, exc_info=error)
        stopping.cancel()
        for task in serving:
            task.cancel()
        await asyncio.gather(*serving, stopping, return_exceptions=True)
        for signal_number in STOP_SIGNALS:
            loop.remove_signal_handler(signal_number)
    if last_words:
        raise PlatformsStopped("; ".join(last_words) + "; no platform left to serve")


def why_stopped(adapter: Adapter, task: asyncio.Task[None]) -> str:
    """Say in one line, without secrets, why an adapter's task ended."""
    error = task.exception()
    if error is None:
        return f"{adapter.platform_name} stopped: its connection ended"
    log.debug("%s stopped", adapter.platform_name, exc_info=error)  # for --log-level debug
    return f"{adapter.platform_name} stopped: {_one_line(adapter, error)}"


def _one_line(adapter: Adapter, error: BaseException) -> str:
    """Return the adapter's explanation of error or of what caused it, else its type and text."""
    cause: BaseException | None = error
    seen: set[int] = set()
    while cause is not None and id(cause) not in seen:
        # discord.py can raise an AttributeError while handling a failed first connection:
        # the connection failure underneath is the one worth naming.
        seen.add(id(cause))
        explained = adapter.explain(cause)
        if explained is not None:
            return _redacted(explained, adapter.secrets)
        cause = cause.__cause__ or cause.__context__
    text = " ".join(str(error).split())
    return _redacted(f"{type(error).__name__}: {text}" if text else type(error).__name__,
                     adapter.secrets)  # fmt: skip


def _redacted(text: str, secrets: Sequence[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "**********")
    return text
