"""Post to a Discord channel, DM a member or grant a role outside a command (prompts, streaks)."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

import aiohttp
import discord

from bot.adapters.discord.render import Rendered, button_view, render
from bot.core.messages import Field, Platform, Reply
from bot.core.ports import MemberKey

log = logging.getLogger(__name__)

# What a REST call can fail with once discord.py has given up retrying (it retries 429s, 5xx
# and resets itself): Discord's refusals, and the network (connector errors are OSErrors).
_FAILURES = (discord.HTTPException, aiohttp.ClientError, OSError)


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

    async def direct(self, key: MemberKey, reply: Reply, *, space_id: str | None = None) -> None:
        """Send reply to a member privately (its buttons acting in server space_id, if given).

        Raises discord.Forbidden (code 50007) when the member does not take DMs from the bot.
        """
        if key.platform is not Platform.DISCORD:
            raise ValueError(f"not a Discord member: {key}")
        user = self._client.get_user(int(key.user_id)) or await self._client.fetch_user(
            int(key.user_id)
        )
        await _send(user, render(reply, space_id))

    async def tell_moderators(self, space_id: str, channel_id: str, reply: Reply) -> bool:
        """DM the server's owner about a channel (the one moderator every server has)."""
        ids = _snowflakes(space_id, channel_id)
        if ids is None:
            return False
        guild_id, channel = ids
        try:
            guild = self._client.get_guild(guild_id) or await self._client.fetch_guild(guild_id)
            if guild.owner_id is None:
                return False
            about = replace(reply, fields=(*reply.fields, Field("Channel", f"<#{channel}>")))
            # Its buttons (approve a suggestion, ...) act in the server, not in the DM.
            owner = MemberKey(Platform.DISCORD, str(guild.owner_id))
            await self.direct(owner, about, space_id=space_id)
        except _FAILURES as error:  # closed DMs (50007), a server the bot has left
            log.warning("cannot tell the owner of guild %s: %s", guild_id, _why(error))
            return False
        return True

    async def grant_role(self, space_id: str, user_id: str, role_id: str, reason: str) -> bool:
        """Give a member of a guild a role; False (and a warning) when Discord refuses."""
        ids = _snowflakes(space_id, user_id, role_id)
        if ids is None:  # a DM "space" or a mistyped setting: nothing Discord could act on
            log.warning(
                "cannot grant role %r to %r in %r: not Discord ids", role_id, user_id, space_id
            )
            return False
        guild_id, member_id, role = ids
        try:
            # The HTTP layer, not Member.add_roles: it needs no member cache (no members intent).
            await self._client.http.add_role(guild_id, member_id, role, reason=reason)
        except _FAILURES as error:
            why = _why(error)
            log.warning(
                "cannot grant role %s to %s in guild %s: %s", role, member_id, guild_id, why
            )
            return False
        return True

    async def role_exists(self, space_id: str, role_id: str) -> bool:
        """Tell whether the guild has this role; False (and a warning) when Discord refuses."""
        ids = _snowflakes(space_id, role_id)
        if ids is None:
            log.warning("cannot look up role %r in %r: not Discord ids", role_id, space_id)
            return False
        guild_id, role = ids
        try:
            # REST rather than the cache, so a moderator's setting is checked against Discord.
            roles = await self._client.http.get_roles(guild_id)
        except _FAILURES as error:
            log.warning("cannot list the roles of guild %s: %s", guild_id, _why(error))
            return False
        return any(int(found["id"]) == role for found in roles)


def _snowflakes(*values: str) -> tuple[int, ...] | None:
    """Return the values as Discord ids, or None if one is not a positive integer."""
    if not all(value.isascii() and value.isdigit() and int(value) > 0 for value in values):
        return None
    return tuple(int(value) for value in values)


def _why(error: Exception) -> str:
    """Say what a failed call means for whoever configures the server."""
    if isinstance(error, discord.Forbidden):
        return (
            f"forbidden ({error.text}): the bot needs Manage Roles, and the role must be "
            "below the bot's highest role"
        )
    if isinstance(error, discord.NotFound):
        return f"not found ({error.text}): the role, member or server is gone"
    if isinstance(error, discord.HTTPException):
        return f"Discord answered {error.status} ({error.text})"
    return f"network error: {error!r}"


async def _send(target: discord.abc.Messageable, rendered: Rendered) -> None:
    for index, page in enumerate(rendered.pages):
        kwargs: dict[str, Any] = {
            "embed": page,
            "allowed_mentions": discord.AllowedMentions.none(),
        }
        if index == 0 and rendered.file is not None:
            kwargs["file"] = rendered.file
        if index == 0 and rendered.buttons:  # e.g. Approve / Reject on a suggestion
            kwargs["view"] = button_view(rendered)
        await target.send(**kwargs)
