"""Ctrl-C at a terminal prompt: it leaves at once, yet never loses a line already sent."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
import termios
import threading
import time
from collections.abc import Callable
from types import FrameType, TracebackType

RECHECK_SECONDS = 0.3  # how long a line readline took may take to come out of input()
# Ignored by default, so a nudge that arrives after the prompt is gone does nothing.
NUDGE_SIGNAL = signal.SIGURG
NUDGE_EVERY = 0.05  # how long the main thread gets to see a Ctrl-C by itself, and between nudges
NUDGE_FOR = 2.0  # then the Ctrl-C is taken as seen (a reply may keep main busy that long)


class CtrlC:
    """While active, Ctrl-C interrupts typing, and is otherwise remembered until a reply is done.

    Python raises KeyboardInterrupt wherever the main thread happens to be. Right after Enter,
    that is between readline accepting the line and input() returning it, so the line would be
    lost. Here Ctrl-C raises only while a line is still being typed (readline keeps the
    terminal out of canonical mode until Enter); at any other moment it sets `pressed`.
    """

    def __init__(self) -> None:
        self.pressed = False
        self._reading = False
        self._previous: object = None
        self._recheck: threading.Timer | None = None
        self._forced = False
        self._seen_at = float("-inf")  # when _on_sigint last ran
        self._waker: MainThreadWaker | None = None

    def __enter__(self) -> CtrlC:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._on_sigint)
            self._waker = MainThreadWaker(self._missed)
            self._waker.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._waker is not None:
            self._waker.stop()  # first: no nudge may come once the handlers are restored
            self._waker = None
        self._cancel_recheck()
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)  # type: ignore[arg-type]

    def read(self, prompt: str) -> str:
        """Return a line typed at prompt; KeyboardInterrupt if Ctrl-C came while typing it."""
        self._reading, self._forced = True, False
        try:
            return input(prompt)
        finally:
            self._reading = False
            self._cancel_recheck()

    def _missed(self, arrived: float) -> bool:
        """Return whether a Ctrl-C caught at arrived still waits, unseen, under a read."""
        return self._reading and self._seen_at < arrived

    def _on_sigint(self, signum: int, frame: FrameType | None) -> None:
        self._seen_at = time.monotonic()
        if self._reading and (self._forced or not _line_accepted()):
            raise KeyboardInterrupt
        self.pressed = True
        if self._reading and self._recheck is None:
            # The terminal looks canonical: readline took the line, and input() returns it in
            # a moment; or readline has not switched the terminal yet, and input() would wait
            # for a key. Ask again shortly: a read still going on then is interrupted.
            self._recheck = threading.Timer(RECHECK_SECONDS, self._interrupt_if_reading)
            self._recheck.daemon = True
            self._recheck.start()

    def _interrupt_if_reading(self) -> None:
        if self._reading:
            self._forced = True
            os.kill(os.getpid(), signal.SIGINT)

    def _cancel_recheck(self) -> None:
        if self._recheck is not None:
            self._recheck.cancel()
            self._recheck = None


class MainThreadWaker:
    """Wake the main thread out of readline's select() when a Ctrl-C went unseen there.

    CPython's readline waits in select() on stdin and runs Python's signal handlers only when
    select() fails with EINTR. A Ctrl-C caught just before select() starts (right after the
    prompt is drawn) or by another thread (one a C library started without SIGINT blocked, as
    OpenBLAS does) only marks the handler pending, and the read waits for the next key. The
    signal module writes the number of each signal it catches, in whichever thread, to the
    wakeup fd; this thread reads it and, while the Ctrl-C is still unseen by a read, sends the
    main thread a signal of no consequence, so that select() fails with EINTR and the pending
    handler runs.
    """

    def __init__(self, missed: Callable[[float], bool]) -> None:
        self._missed = missed
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="ctrl-c-waker", daemon=True)
        self._reader = self._writer = -1
        self._previous_fd = -1
        self._previous_handler: object = None
        self._main = threading.get_ident()  # start() is called from the main thread

    def start(self) -> None:
        """Catch signals into the wakeup fd and start watching it (from the main thread)."""
        self._reader, self._writer = os.pipe()
        os.set_blocking(self._writer, False)  # the signal handler must never block
        self._previous_handler = signal.signal(NUDGE_SIGNAL, _do_nothing)
        self._previous_fd = signal.set_wakeup_fd(self._writer, warn_on_full_buffer=False)
        # Started with SIGINT blocked, so that no Ctrl-C lands in it, even in its first instant.
        unblocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, NUDGE_SIGNAL})
        try:
            self._thread.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, unblocked)

    def stop(self) -> None:
        """Stop watching and give back the wakeup fd and the nudge's handler."""
        self._stopping.set()
        with contextlib.suppress(BlockingIOError):  # a full pipe wakes the thread anyway
            os.write(self._writer, b"\0")
        self._thread.join()
        signal.set_wakeup_fd(self._previous_fd)
        os.close(self._reader)
        os.close(self._writer)
        previous = self._previous_handler
        if previous is None:  # set outside Python, so it cannot be put back; the default ignores
            previous = signal.SIG_DFL
        signal.signal(NUDGE_SIGNAL, previous)  # type: ignore[arg-type]

    def _watch(self) -> None:
        arrived: float | None = None  # when the last Ctrl-C not yet seen was caught
        nudged = 0.0
        while not self._stopping.is_set():
            timeout = None if arrived is None else NUDGE_EVERY
            ready = select.select([self._reader], [], [], timeout)[0]
            caught = os.read(self._reader, 512) if ready else b""
            now = time.monotonic()
            if signal.SIGINT in caught:
                arrived = nudged = now
            elif arrived is None or self._stopping.is_set():
                continue
            elif now - arrived > NUDGE_FOR:
                arrived = None
            elif now - nudged >= NUDGE_EVERY and self._missed(arrived):
                signal.pthread_kill(self._main, NUDGE_SIGNAL)
                nudged = now


def _do_nothing(signum: int, frame: FrameType | None) -> None:
    """Do nothing: the nudge is there only to interrupt a blocking call with EINTR."""


def _line_accepted() -> bool:
    """Return whether readline has already taken the line (the terminal is canonical again)."""
    if "readline" not in sys.modules or not (sys.stdin.isatty() and sys.stdout.isatty()):
        return False  # input() reads without readline: Ctrl-C there can only mean "stop typing"
    try:
        local_flags = termios.tcgetattr(sys.stdin.fileno())[3]
    except termios.error:
        return False
    return bool(local_flags & termios.ICANON)
