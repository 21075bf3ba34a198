"""The terminal chat in a real terminal (a pty): Ctrl-C and Ctrl-D, styles, about's sources."""

from __future__ import annotations

import contextlib
import os
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.adapters.console import render_text
from bot.adapters.terminal_markup import BOLD_ON, render_markdown, wants_ansi
from bot.core.messages import Button, Field, Reply

# The child makes the pty its controlling terminal, so \x03 in it is SIGINT to the bot.
_IN_TERMINAL = (
    "import fcntl, os, sys, termios; fcntl.ioctl(0, termios.TIOCSCTTY, 0); "
    "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])"
)
PROMPT = b"you> "


class Terminal:
    """The bot's CLI running in a pseudo-terminal, read and typed into like a person would."""

    def __init__(
        self,
        tmp_path: Path,
        *args: str,
        extra_env: dict[str, str] | None = None,
        program: tuple[str, ...] = ("-m", "bot"),
    ):
        env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_") and k != "NO_COLOR"}
        env |= {
            "BOT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            "BOT_DATA_DIR": str(tmp_path / "data"),
            "TERM": "xterm",
            **(extra_env or {}),
        }
        self.master, slave = os.openpty()
        self.process = subprocess.Popen(
            [sys.executable, "-c", _IN_TERMINAL, *program, *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=tmp_path,
            start_new_session=True,
        )
        os.close(slave)
        self.output = b""

    def read_until(self, expected: bytes, count: int = 1, timeout: float = 30.0) -> None:
        """Read until expected has been written count times in all."""
        deadline = time.monotonic() + timeout
        while self.output.count(expected) < count:
            left = deadline - time.monotonic()
            assert left > 0, f"no {expected!r} in {self.output!r}"
            if select.select([self.master], [], [], left)[0]:
                try:
                    chunk = os.read(self.master, 4096)
                except OSError:  # EIO: the bot closed the terminal
                    chunk = b""
                assert chunk, f"the bot left before {expected!r}: {self.output!r}"
                self.output += chunk

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def exit_code_within(self, seconds: float) -> int:
        """Return the exit code, reading the rest of the output, if it ends within seconds."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if select.select([self.master], [], [], 0.05)[0]:
                with contextlib.suppress(OSError):  # EIO: the bot closed the terminal
                    self.output += os.read(self.master, 4096)
            code = self.process.poll()
            if code is not None:
                return code
        raise AssertionError(f"still running after {seconds} s: {self.output!r}")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)

    @property
    def text(self) -> str:
        return self.output.decode("utf-8", errors="replace")


@pytest.fixture
def chat(tmp_path: Path):
    terminal = Terminal(tmp_path, "chat")
    yield terminal
    terminal.close()


# Before the fix Ctrl-C never left (it waited for the next Enter), so any bound tells them
# apart; a generous one keeps a busy 2-core CI machine (shutdown drains and closes the
# database) from failing it. It usually leaves within half a second.
LEAVE_SECONDS = 15.0


@pytest.mark.parametrize("key", [b"\x03", b"\x04"], ids=["ctrl-c", "ctrl-d"])
def test_ctrl_c_and_ctrl_d_leave_at_once(chat: Terminal, key: bytes) -> None:
    chat.read_until(PROMPT)
    chat.type(key)
    assert chat.exit_code_within(LEAVE_SECONDS) == 0
    after = chat.text.split("you> ", 1)[1]
    assert "Goodbye" in after and "Traceback" not in chat.text


# A SIGINT whose handler ran in another thread: Python only marks it pending, and readline's
# select() on the main thread is not woken (the same as one that comes just before select()).
_CTRL_C_ELSEWHERE = """
import readline, signal, threading, time
from bot.adapters.terminal_input import CtrlC

def elsewhere():
    time.sleep(0.3)
    signal.pthread_kill(threading.get_ident(), signal.SIGINT)  # caught in this thread

with CtrlC() as ctrl_c:
    threading.Thread(target=elsewhere).start()
    try:
        ctrl_c.read("you> ")
    except KeyboardInterrupt:
        print("interrupted")
"""


def test_a_ctrl_c_caught_outside_the_main_thread_still_interrupts_the_prompt(
    tmp_path: Path,
) -> None:
    terminal = Terminal(tmp_path, program=("-c", _CTRL_C_ELSEWHERE))
    try:
        terminal.read_until(PROMPT)
        assert terminal.exit_code_within(LEAVE_SECONDS) == 0  # no key is ever typed
    finally:
        terminal.close()
    assert "interrupted" in terminal.text and "Traceback" not in terminal.text


def test_ctrl_c_after_a_line_still_answers_it(chat: Terminal) -> None:
    chat.read_until(PROMPT)
    chat.type(b"help\r")
    chat.read_until(b"help\r\n")  # the line was taken; Ctrl-C comes while it is answered
    chat.type(b"\x03")
    assert chat.exit_code_within(LEAVE_SECONDS) == 0
    assert "What I can do" in chat.text and "Goodbye" in chat.text
    assert "Traceback" not in chat.text


def test_a_terminal_gets_bold_instead_of_asterisks(chat: Terminal) -> None:
    chat.read_until(PROMPT)
    chat.type(b"what is docker?\r")
    chat.read_until(PROMPT, count=2)  # the whole answer, and the prompt is back
    chat.type(b"\x04")
    assert chat.exit_code_within(LEAVE_SECONDS) == 0
    assert "**" not in chat.text
    assert f"{BOLD_ON}Containers and Docker" in chat.text


def test_no_color_keeps_the_terminal_plain(tmp_path: Path) -> None:
    terminal = Terminal(tmp_path, "chat", extra_env={"NO_COLOR": "1"})
    try:
        terminal.read_until(PROMPT)
        terminal.type(b"what is docker?\r")
        terminal.read_until(PROMPT, count=2)
        terminal.type(b"\x04")
        assert terminal.exit_code_within(LEAVE_SECONDS) == 0
    finally:
        terminal.close()
    assert "\x1b[" not in terminal.text and "**" not in terminal.text


def test_about_lists_each_source_once(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env["BOT_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    env["BOT_DATA_DIR"] = str(tmp_path / "data")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        input=b"about\n",
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=True,
    )
    out = result.stdout.decode()
    urls = re.findall(r"https?://[^\s>)]+", out)
    assert len(urls) == 5 and len(set(urls)) == 5
    assert "](" not in out and "**" not in out


def test_plain_text_strips_emphasis_and_writes_links_out() -> None:
    text = "**Containers and Docker**: see [Docker docs](https://docs.docker.com). Type `help`."
    plain = render_markdown(text, ansi=False)
    assert plain == "Containers and Docker: see Docker docs <https://docs.docker.com>. Type `help`."
    styled = render_markdown(text, ansi=True)
    assert "**" not in styled and "`" not in styled and styled.count("\x1b[") == 4


def test_render_text_skips_link_buttons_already_written_out() -> None:
    reply = Reply(
        text="Sources below.",
        fields=(Field("Sources", "[One](https://one.example)\n[Two](https://two.example)"),),
        buttons=(
            Button("One", url="https://one.example"),
            Button("Two", url="https://two.example"),
            Button("Three", url="https://three.example"),
            Button("Help", command="help"),
        ),
    )
    for ansi in (False, True):
        text = render_text(reply, ansi=ansi)
        assert text.count("https://one.example") == 1 and text.count("https://two.example") == 1
        assert "https://three.example" in text and "help" in text


class _Stream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    ("tty", "environ", "expected"),
    [
        (True, {}, True),
        (False, {}, False),
        (True, {"NO_COLOR": "1"}, False),
        (True, {"NO_COLOR": ""}, True),  # no-color.org: only a non-empty value counts
        (True, {"TERM": "dumb"}, False),
    ],
)
def test_styles_only_for_a_terminal_without_no_color(
    tty: bool, environ: dict[str, str], expected: bool
) -> None:
    assert wants_ansi(_Stream(tty), environ) is expected  # type: ignore[arg-type]


def test_a_ctrl_c_that_finds_the_terminal_canonical_still_interrupts_the_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """If readline has not switched the terminal yet, the read is interrupted shortly after."""
    import threading

    from bot.adapters import terminal_input

    monkeypatch.setattr(terminal_input, "_line_accepted", lambda: True)  # looks canonical
    reader, writer = os.pipe()
    stdin = os.fdopen(reader)
    monkeypatch.setattr(sys, "stdin", stdin)  # input() waits: nothing comes

    def hung(signum: int, frame: object) -> None:
        raise AssertionError("the read was never interrupted")

    previous = signal.signal(signal.SIGALRM, hung)  # fail, not hang, should this regress
    signal.alarm(5)
    try:
        with terminal_input.CtrlC() as ctrl_c:
            threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT)).start()
            began = time.monotonic()
            with pytest.raises(KeyboardInterrupt):
                ctrl_c.read("you> ")
            assert ctrl_c.pressed
            assert time.monotonic() - began < 0.2 + terminal_input.RECHECK_SECONDS + 1.0
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        stdin.close()
        os.close(writer)
