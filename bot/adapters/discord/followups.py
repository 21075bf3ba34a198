"""A rendered reply sent: an interaction's answer and follow-ups, held notices, channel pages."""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.adapters.discord.render import Rendered, button_view, render
from bot.core.messages import Reply

log = logging.getLogger(__name__)


async def send_followup(interaction: discord.Interaction[Any], rendered: Rendered) -> None:
    """Send rendered as follow-ups of an answered (or deferred) interaction."""
    await interaction.followup.send(**message_kwargs(rendered, first=True))
    await send_rest(interaction, rendered)


async def send_notices(interaction: discord.Interaction[Any], reply: Reply) -> None:
    """Send the member's held notices as ephemeral follow-ups, one message each."""
    for notice in reply.notices:
        rendered = render(notice.reply, notice.space_id)  # its buttons act in its server
        rendered.ephemeral = True
        await send_followup(interaction, rendered)


async def send_rest(interaction: discord.Interaction[Any], rendered: Rendered) -> None:
    """Send the pages after the first (Discord allows 10 embeds, but 6,000 chars in all)."""
    for page in rendered.pages[1:]:
        await interaction.followup.send(embed=page, ephemeral=rendered.ephemeral)


async def send_messages(channel: discord.abc.Messageable, rendered: Rendered) -> None:
    """Send rendered as messages of a channel: one per page, the buttons on the first."""
    for index, page in enumerate(rendered.pages):
        kwargs: dict[str, Any] = {"embed": page}
        if index == 0 and rendered.buttons:
            kwargs["view"] = button_view(rendered)
        await channel.send(**kwargs)


def shared(rendered: Rendered, share: bool) -> Rendered:
    """Make a private answer public when the person asked to share it."""
    if share:
        rendered.ephemeral = False
    return rendered


def message_kwargs(rendered: Rendered, *, first: bool) -> dict[str, Any]:
    """Return the keyword arguments of one message of rendered: its first page, or a later one."""
    kwargs: dict[str, Any] = {"embed": rendered.pages[0], "ephemeral": rendered.ephemeral}
    if first and rendered.file is not None:
        kwargs["file"] = rendered.file
    if first and rendered.buttons:
        kwargs["view"] = button_view(rendered)
    return kwargs
