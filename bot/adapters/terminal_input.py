"""Ctrl-C at a terminal prompt: it leaves at once, yet never loses a line already sent."""

from __future__ import annotations

import os
import signal
import sys
import termios
import threading
from types import FrameType, TracebackType

RECHECK_SECONDS = 0.3  # how long a line readline took may take to come out of input()


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

    def __enter__(self) -> CtrlC:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._on_sigint)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
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

    def _on_sigint(self, signum: int, frame: FrameType | None) -> None:
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


def _line_accepted() -> bool:
    """Return whether readline has already taken the line (the terminal is canonical again)."""
    if "readline" not in sys.modules or not (sys.stdin.isatty() and sys.stdout.isatty()):
        return False  # input() reads without readline: Ctrl-C there can only mean "stop typing"
    try:
        local_flags = termios.tcgetattr(sys.stdin.fileno())[3]
    except termios.error:
        return False
    return bool(local_flags & termios.ICANON)
