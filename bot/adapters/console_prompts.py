"""The console's prompt publisher: prints the day's prompt, as a channel would show it."""

from __future__ import annotations

import itertools
import sys
from typing import TextIO

from bot.adapters.console import render_text
from bot.adapters.terminal_markup import wants_ansi
from bot.core.prompts.message import prompt_reply
from bot.core.prompts.ports import ChannelTarget, PromptPost, Published


class ConsolePromptPublisher:
    """Print prompts to a stream (the terminal); each gets a synthetic message id."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream or sys.stdout
        self._numbers = itertools.count(1)

    async def publish(self, channel: ChannelTarget, post: PromptPost) -> Published:
        """Print the prompt under the channel's name and return its message id."""
        text = render_text(prompt_reply(post), ansi=wants_ansi(self._stream))
        mention = f" @{channel.mention_role_id}" if channel.mention_role_id else ""
        self._stream.write(f"[#{channel.channel_id}]{mention}\n{text}\n")
        self._stream.flush()
        # Unique within this process; the console has no thread to open.
        return Published(
            f"console-{channel.channel_id}-{post.day.isoformat()}-{next(self._numbers)}"
        )
