"""The terminal adapter: an interactive chat, and a JSON-lines mode for scripts and tests."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import sys
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from bot.adapters.terminal_input import CtrlC
from bot.adapters.terminal_markup import bold, render_markdown, wants_ansi
from bot.core.messages import (
    Actor,
    ChannelRef,
    Incoming,
    MemberRef,
    Platform,
    Reply,
    RoleRef,
)

log = logging.getLogger(__name__)

Handle = Callable[[Incoming], Awaitable[Reply | None]]
# Runs a coroutine on the bot's event loop to its end (see bot.background_loop).
RunToEnd = Callable[[Coroutine[Any, Any, None]], None]
EXIT_WORDS = frozenset({"exit", "quit", ":q"})
# The command or subcommand names that finish the last word of a line (CommandTable.complete).
Complete = Callable[[str], Sequence[str]]


MASS_MENTIONS = frozenset({"everyone", "here", "channel"})  # never a member


class ConsoleReferences:
    """Console members, channels and roles are named by plain words: `@ada` or `ada`."""

    def member(self, word: str) -> MemberRef | None:
        """Return the console member called word (its user id is the name)."""
        name = word.removeprefix("@").strip()
        return MemberRef(Platform.CONSOLE, name[:64], name[:64]) if _is_name(name) else None

    def channel(self, word: str) -> ChannelRef | None:
        """Return the console channel called word (`#study` or `study`)."""
        name = word.removeprefix("#").strip()
        return ChannelRef(name, name) if _is_name(name) else None

    def role(self, word: str) -> RoleRef | None:
        """Return the role called word (`@mentors` or `mentors`)."""
        name = word.removeprefix("@").strip()
        return RoleRef(name, name) if _is_name(name) else None

    def plain(self, text: str) -> str:
        """Return text as it is: a terminal has no mention markup."""
        return text


def _is_name(word: str) -> bool:
    # Mass mentions are never a member, and markup never becomes an id.
    return bool(re.fullmatch(r"[\w.-]{1,64}", word)) and word.casefold() not in MASS_MENTIONS


CONSOLE_REFERENCES = ConsoleReferences()


def console_actor(user: str, *, moderator: bool = False) -> Actor:
    """Return the actor for a console user (one local space, one channel)."""
    user = " ".join(user.split())[:64] or "you"  # ids are at most 64 characters in storage
    return Actor(
        platform=Platform.CONSOLE,
        space_id="local",
        channel_id="console",
        user_id=user,
        display_name=user,
        is_moderator=moderator,
        space_name="Local console",
    )


def reply_to_dict(reply: Reply | None) -> dict[str, object] | None:
    """Return a JSON-ready dict of reply (image bytes become their size)."""
    if reply is None:
        return None
    image = reply.image
    return {
        "text": reply.text,
        "title": reply.title,
        "fields": [{"name": f.name, "value": f.value, "inline": f.inline} for f in reply.fields],
        "buttons": [{"label": b.label, "command": b.command, "url": b.url} for b in reply.buttons],
        "image": None
        if image is None
        else {"filename": image.filename, "alt_text": image.alt_text, "bytes": len(image.data)},
        "ephemeral": reply.ephemeral,
        "error": reply.error,
        # Held private messages shown beside this answer, each with the space it is about.
        "notices": [
            {"space": notice.space_id, "reply": reply_to_dict(notice.reply)}
            for notice in reply.notices
        ],
    }


def json_line(record: object) -> str:
    """Return record as one JSON line that every line-splitting reader keeps whole.

    JSON allows U+2028, U+2029 and U+0085 raw, but `str.splitlines()` breaks lines at them.
    """
    text = json.dumps(record, ensure_ascii=False)
    return text.translate(_LINE_BREAKS)


_LINE_BREAKS = {0x2028: "\\u2028", 0x2029: "\\u2029", 0x85: "\\u0085"}


def render_text(reply: Reply, *, ansi: bool = False) -> str:
    """Render a reply as terminal text: ANSI-styled for a terminal, else plain."""

    def markup(text: str) -> str:
        return render_markdown(text, ansi=ansi)

    lines = [bold(f"== {reply.title} ==", ansi=ansi) if reply.title else ""]
    lines.append(markup(reply.text))
    for field in reply.fields:
        name, value = bold(field.name, ansi=ansi), markup(field.value).replace("\n", "\n    ")
        lines.append(f"  {name}:\n    {value}" if "\n" in field.value else f"  {name}: {value}")
    shown = reply.text + "".join(field.value for field in reply.fields)
    for button in reply.buttons:
        if button.url and button.url in shown:
            continue  # a link already written out above (about's sources)
        target = markup(f"type `{button.command}`") if button.command else button.url
        lines.append(f"  [{button.label}] {target}")
    if reply.image is not None:
        lines.append(f"  (image {reply.image.filename}: {reply.image.alt_text})")
    for notice in reply.notices:  # messages held while DMs could not reach you
        lines.append("\n(private, held for you)\n" + render_text(notice.reply, ansi=ansi))
    return "\n".join(line for line in lines if line)


class ConsoleAdapter:
    """Chat with the core from a terminal or a pipe."""

    def __init__(self, handle: Handle, actor: Actor, complete: Complete | None = None) -> None:
        self._handle = handle
        self._actor = actor
        self._complete = complete  # Tab at the prompt: command and subcommand names

    async def ask(self, text: str) -> Reply | None:
        """Send one line to the core and return its reply."""
        # The terminal is the member's own: held notices are shown beside the answer.
        incoming = Incoming(self._actor, text, references=CONSOLE_REFERENCES, shows_notices=True)
        return await self._handle(incoming)

    async def run_json(self, stdin: BinaryIO, stdout: TextIO) -> int:
        """Answer each input line with exactly one JSON line; return how many were answered."""
        count = 0
        while True:
            raw = await asyncio.to_thread(stdin.readline)
            if not raw:
                return count
            # Undecodable bytes must not kill the loop: every line gets its answer.
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            reply = await self.ask(line)
            record = {"input": line, "reply": reply_to_dict(reply)}
            stdout.write(json_line(record) + "\n")
            stdout.flush()
            count += 1

    def run_prompt(self, run: RunToEnd, history_file: Path | None, stdout: TextIO) -> None:
        """Prompt with line editing and history until exit, quit, Ctrl-C or Ctrl-D.

        Call it from the main thread, which is where Ctrl-C interrupts input(); run executes
        a coroutine on the bot's loop to its end (a line sent before Ctrl-C is answered).
        """
        ansi = wants_ansi(stdout)
        _enable_history(history_file)
        if self._complete is not None:
            _enable_completion(self._complete)
        you = self._actor.display_name + (" (moderator)" if self._actor.is_moderator else "")
        intro = f"roadmap-bot console - you are {you}. Type `help`, or `exit` to leave."
        stdout.write(render_markdown(intro, ansi=ansi) + "\n")
        stdout.flush()
        with CtrlC() as ctrl_c:
            try:
                while not ctrl_c.pressed:
                    line = ctrl_c.read("you> ")
                    if line.strip().casefold() in EXIT_WORDS:
                        break
                    run(self._answer(line, stdout, ansi))  # Ctrl-C meanwhile: leave after it
            except (KeyboardInterrupt, EOFError):  # Ctrl-C while typing; Ctrl-D or end of input
                stdout.write("\n")
        stdout.write("Goodbye.\n")
        stdout.flush()
        _save_history(history_file)

    async def _answer(self, line: str, stdout: TextIO, ansi: bool) -> None:
        reply = await self.ask(line)
        if reply is not None:
            stdout.write(render_text(reply, ansi=ansi) + "\n\n")
            stdout.flush()


def _enable_history(history_file: Path | None) -> None:
    try:
        import readline
    except ImportError:
        return
    if history_file is not None and history_file.exists():
        readline.read_history_file(history_file)
    readline.set_history_length(1000)


def tab_choices(complete: Complete, before_cursor: str) -> list[str]:
    """Return what Tab offers for the line typed so far: whole names, then a space."""
    return [f"{name} " for name in complete(before_cursor)]


def _enable_completion(complete: Complete) -> None:
    try:
        import readline
    except ImportError:
        return
    offered: list[str] = []

    def completer(text: str, state: int) -> str | None:
        # readline asks again with state 1, 2, ... for the same word: compute once.
        if state == 0:
            line = readline.get_line_buffer()[: readline.get_endidx()]
            offered[:] = tab_choices(complete, line)
        return offered[state] if state < len(offered) else None

    readline.set_completer_delims(" \t")
    readline.set_completer(completer)
    readline.parse_and_bind("tab: complete")


def _save_history(history_file: Path | None) -> None:
    if history_file is None or "readline" not in sys.modules:
        return
    import readline

    try:
        history_file.parent.mkdir(parents=True, exist_ok=True)
        readline.write_history_file(history_file)
    except OSError:
        log.warning("could not save chat history to %s", history_file)
