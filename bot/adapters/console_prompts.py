"""The console's prompt publisher: prints the day's prompt, as a channel would show it."""

from __future__ import annotations

import itertools
import sys
from typing import TextIO

from bot.adapters.console import json_line, render_text, reply_to_dict
from bot.adapters.terminal_markup import wants_ansi
from bot.core.prompts.message import prompt_reply
from bot.core.prompts.ports import ChannelTarget, PromptPost, Published


class ConsolePromptPublisher:
    """Print prompts to a stream (the terminal); each gets a synthetic message id.

    With json_lines (`chat --json`) a post is one JSON line of its own, `{"post": …}`, beside
    the `{"input": …, "reply": …}` lines, so a reader keeps one JSON value per line.
    """

    def __init__(self, stream: TextIO | None = None, *, json_lines: bool = False) -> None:
        self._stream = stream or sys.stdout
        self._json_lines = json_lines
        self._numbers = itertools.count(1)

    async def publish(self, channel: ChannelTarget, post: PromptPost) -> Published:
        """Print the prompt under the channel's name and return its message id."""
        reply = prompt_reply(post)
        if self._json_lines:
            record = {
                "post": {
                    "channel": channel.channel_id,
                    "day": post.day.isoformat(),
                    "prompt": post.prompt.id,
                    "mention": channel.mention_role_id,
                    "reply": reply_to_dict(reply),
                }
            }
            self._stream.write(json_line(record) + "\n")
        else:
            text = render_text(reply, ansi=wants_ansi(self._stream))
            mention = f" @{channel.mention_role_id}" if channel.mention_role_id else ""
            self._stream.write(f"[#{channel.channel_id}]{mention}\n{text}\n")
        self._stream.flush()
        # Unique within this process; the console has no thread to open.
        return Published(
            f"console-{channel.channel_id}-{post.day.isoformat()}-{next(self._numbers)}"
        )
