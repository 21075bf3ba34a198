"""The terminal adapter: an interactive chat, and a JSON-lines mode for scripts and tests."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import BinaryIO, TextIO

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
EXIT_WORDS = frozenset({"exit", "quit", ":q"})


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
    }


def json_line(record: object) -> str:
    """Return record as one JSON line that every line-splitting reader keeps whole.

    JSON allows U+2028, U+2029 and U+0085 raw, but `str.splitlines()` breaks lines at them.
    """
    text = json.dumps(record, ensure_ascii=False)
    return text.translate(_LINE_BREAKS)


_LINE_BREAKS = {0x2028: "\\u2028", 0x2029: "\\u2029", 0x85: "\\u0085"}


def render_text(reply: Reply) -> str:
    """Render a reply as plain terminal text."""
    lines = [f"== {reply.title} ==" if reply.title else ""]
    lines.append(reply.text)
    for field in reply.fields:
        value = field.value.replace("\n", "\n    ")
        lines.append(
            f"  {field.name}:\n    {value}" if "\n" in field.value else f"  {field.name}: {value}"
        )
    for button in reply.buttons:
        target = f"type `{button.command}`" if button.command else button.url
        lines.append(f"  [{button.label}] {target}")
    if reply.image is not None:
        lines.append(f"  (image {reply.image.filename}: {reply.image.alt_text})")
    return "\n".join(line for line in lines if line)


class ConsoleAdapter:
    """Chat with the core from a terminal or a pipe."""

    def __init__(self, handle: Handle, actor: Actor) -> None:
        self._handle = handle
        self._actor = actor

    async def ask(self, text: str) -> Reply | None:
        """Send one line to the core and return its reply."""
        return await self._handle(Incoming(self._actor, text, references=CONSOLE_REFERENCES))

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

    async def run_interactive(self, history_file: Path | None, stdout: TextIO) -> None:
        """Run a prompt with line editing and history until exit, quit or end of input."""
        _enable_history(history_file)
        stdout.write(
            f"roadmap-bot console - you are {self._actor.display_name}"
            f"{' (moderator)' if self._actor.is_moderator else ''}. "
            "Type `help`, or `exit` to leave.\n"
        )
        while True:
            try:
                line = await asyncio.to_thread(input, "you> ")
            except (EOFError, KeyboardInterrupt):
                stdout.write("\n")
                break
            if line.strip().casefold() in EXIT_WORDS:
                break
            reply = await self.ask(line)
            if reply is not None:
                stdout.write(render_text(reply) + "\n\n")
                stdout.flush()
        _save_history(history_file)


def _enable_history(history_file: Path | None) -> None:
    try:
        import readline
    except ImportError:
        return
    if history_file is not None and history_file.exists():
        readline.read_history_file(history_file)
    readline.set_history_length(1000)


def _save_history(history_file: Path | None) -> None:
    if history_file is None or "readline" not in sys.modules:
        return
    import readline

    try:
        history_file.parent.mkdir(parents=True, exist_ok=True)
        readline.write_history_file(history_file)
    except OSError:
        log.warning("could not save chat history to %s", history_file)
