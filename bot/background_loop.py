"""An event loop in a worker thread, so the main thread can block on input() and get Ctrl-C."""

from __future__ import annotations

import asyncio
import concurrent.futures
import signal
import threading
from collections.abc import Coroutine
from types import TracebackType
from typing import Any, TypeVar

T = TypeVar("T")


class BackgroundLoop:
    """Run coroutines on an asyncio loop of its own thread, from synchronous code.

    Python delivers Ctrl-C (KeyboardInterrupt) only to the main thread. A terminal prompt
    that reads with input() there leaves at once on Ctrl-C, while the bot's loop lives here.
    """

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._serve_forever, name="bot-loop")
        self._started = threading.Event()

    def __enter__(self) -> BackgroundLoop:
        self._thread.start()
        self._started.wait()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run coroutine to its end and return its result, even through Ctrl-C.

        A Ctrl-C meanwhile is raised as KeyboardInterrupt once it has finished: what was
        started (a reply, a start-up, a shutdown) is never cut off halfway.
        """
        if self._loop is None:
            raise RuntimeError("BackgroundLoop.run() outside its `with` block")
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        interrupted = False
        while True:
            try:
                result = future.result()
            except KeyboardInterrupt:
                interrupted = True
                continue
            except concurrent.futures.CancelledError:
                raise KeyboardInterrupt from None  # the loop was stopped under it
            if interrupted:
                raise KeyboardInterrupt
            return result

    def _serve_forever(self) -> None:
        # The kernel hands a process signal to any thread that does not block it. Should Ctrl-C
        # land here (or in a thread started from here: aiosqlite's, the executor's), the main
        # thread would sit in readline's select() until the next key, so it never leaves:
        # block SIGINT in this thread and, by inheritance, in every thread it starts.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        self._started.set()
        await self._stop.wait()
