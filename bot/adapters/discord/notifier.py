"""Post to a Discord channel or DM a member outside a command (prompts, reminders)."""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.adapters.discord.render import Rendered, render
from bot.core.messages import Platform, Reply
from bot.core.ports import MemberKey

log = logging.getLogger(__name__)


class DiscordNotifier:
    """The core's Notifier port, on Discord."""

    def __init__(self, client: discord.Client) -> None:
        self._client = client

    async def post(self, space_id: str, channel_id: str, reply: Reply) -> None:
        """Post reply to a channel (space_id is the guild, for the logs)."""
        channel = self._client.get_channel(int(channel_id)) or await self._client.fetch_channel(
            int(channel_id)
        )
        if not isinstance(channel, discord.abc.Messageable):
            raise ValueError(f"channel {channel_id} of guild {space_id} cannot receive messages")
        await _send(channel, render(reply))

    async def direct(self, key: MemberKey, reply: Reply) -> None:
        """Send reply to a member privately."""
        if key.platform is not Platform.DISCORD:
            raise ValueError(f"not a Discord member: {key}")
        user = self._client.get_user(int(key.user_id)) or await self._client.fetch_user(
            int(key.user_id)
        )
        await _send(user, render(reply))


async def _send(target: discord.abc.Messageable, rendered: Rendered) -> None:
    for index, page in enumerate(rendered.pages):
        kwargs: dict[str, Any] = {
            "embed": page,
            "allowed_mentions": discord.AllowedMentions.none(),
        }
        if index == 0 and rendered.file is not None:
            kwargs["file"] = rendered.file
        await target.send(**kwargs)
