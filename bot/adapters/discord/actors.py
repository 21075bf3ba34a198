"""Who is talking: a Discord user as the core's Actor, and whether they moderate a server."""

from __future__ import annotations

import logging

import discord

from bot.core.messages import Actor, Platform

log = logging.getLogger(__name__)

DM_SPACE = "dm"


def discord_actor(
    user: discord.abc.User,
    channel_id: int | None,
    guild: discord.Guild | None,
    permissions: discord.Permissions | None,
    moderator_role: str | None,
) -> Actor:
    """Return the core's Actor for a Discord user in a guild or a DM."""
    return Actor(
        platform=Platform.DISCORD,
        space_id=str(guild.id) if guild else DM_SPACE,
        channel_id=str(channel_id or 0),
        user_id=str(user.id),
        display_name=getattr(user, "display_name", user.name),
        is_moderator=guild is not None and is_moderator(user, permissions, moderator_role),
        space_name=guild.name if guild else "Direct messages",
    )


def is_moderator(
    user: discord.abc.User, permissions: discord.Permissions | None, moderator_role: str | None
) -> bool:
    """Say whether user may manage the server, or has the moderator role (a name or an id)."""
    if permissions is not None and (permissions.manage_guild or permissions.administrator):
        return True
    roles = getattr(user, "roles", [])
    return moderator_role is not None and any(moderator_role in (r.name, str(r.id)) for r in roles)


async def moderates(
    guild: discord.Guild, user: discord.abc.User, moderator_role: str | None
) -> bool:
    """Say whether user moderates guild now: its owner, or a member Discord says may manage it."""
    if user.id == guild.owner_id:
        return True
    try:  # no members intent: ask Discord for this one member
        member = guild.get_member(user.id) or await guild.fetch_member(user.id)
    except discord.HTTPException:  # not (or no longer) a member of that server
        return False
    return is_moderator(member, member.guild_permissions, moderator_role)
