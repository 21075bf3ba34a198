"""The console's Notifier: a DM or a channel post printed as a clearly marked line."""

from __future__ import annotations

import sys
from typing import TextIO

from bot.adapters.console import json_line, render_text, reply_to_dict
from bot.adapters.terminal_markup import wants_ansi
from bot.core.messages import Platform, Reply
from bot.core.ports import MemberKey


class ConsoleNotifier:
    """The core's Notifier on the terminal: everyone shares one screen, so lines say who.

    With json_lines (`chat --json`) each message is a JSON line of its own, `{"private": …}`
    or `{"channel": …}`, beside the `{"input": …, "reply": …}` lines.
    """

    def __init__(self, stream: TextIO | None = None, *, json_lines: bool = False) -> None:
        self._stream = stream or sys.stdout
        self._json_lines = json_lines

    async def post(self, space_id: str, channel_id: str, reply: Reply) -> None:
        """Print reply as a post in channel_id."""
        if self._json_lines:
            record = {"channel": {"id": channel_id, "reply": reply_to_dict(reply)}}
            self._write(json_line(record))
        else:
            self._write(f"[#{channel_id}]\n{self._text(reply)}")

    async def direct(self, key: MemberKey, reply: Reply, *, space_id: str | None = None) -> None:
        """Print reply as a private message to the member (its buttons are typed commands)."""
        if key.platform is not Platform.CONSOLE:
            raise ValueError(f"not a console member: {key}")
        if self._json_lines:
            record = {"private": {"to": key.user_id, "reply": reply_to_dict(reply)}}
            self._write(json_line(record))
        else:
            self._write(f"(private to @{key.user_id})\n{self._text(reply)}")

    def _text(self, reply: Reply) -> str:
        return render_text(reply, ansi=wants_ansi(self._stream))

    def _write(self, text: str) -> None:
        self._stream.write(text + "\n")
        self._stream.flush()
