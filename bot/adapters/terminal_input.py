"""Ctrl-C at a terminal prompt: it leaves at once, yet never loses a line already sent."""

from __future__ import annotations

import signal
import sys
import termios
import threading
from types import FrameType, TracebackType


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
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)  # type: ignore[arg-type]

    def read(self, prompt: str) -> str:
        """Return a line typed at prompt; KeyboardInterrupt if Ctrl-C came while typing it."""
        self._reading = True
        try:
            return input(prompt)
        finally:
            self._reading = False

    def _on_sigint(self, signum: int, frame: FrameType | None) -> None:
        if self._reading and not _line_accepted():
            raise KeyboardInterrupt
        self.pressed = True


def _line_accepted() -> bool:
    """Return whether readline has already taken the line (the terminal is canonical again)."""
    if "readline" not in sys.modules or not (sys.stdin.isatty() and sys.stdout.isatty()):
        return False  # input() reads without readline: Ctrl-C there can only mean "stop typing"
    try:
        local_flags = termios.tcgetattr(sys.stdin.fileno())[3]
    except termios.error:
        return False
    return bool(local_flags & termios.ICANON)
