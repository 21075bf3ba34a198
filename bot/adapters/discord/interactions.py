"""Slash commands, buttons and forms answered: at once when the core is fast, else deferred."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import discord

from bot.adapters.discord.actors import moderates
from bot.adapters.discord.followups import (
    message_kwargs,
    send_followup,
    send_notices,
    send_rest,
    shared,
)
from bot.adapters.discord.references import DISCORD_REFERENCES
from bot.adapters.discord.render import command_of, render, server_command_of
from bot.core.messages import Actor, Call, Incoming, Reply

if TYPE_CHECKING:
    from bot.adapters.discord.client import DiscordAdapter

log = logging.getLogger(__name__)


async def route_interaction(adapter: DiscordAdapter, interaction: discord.Interaction[Any]) -> None:
    """Run the command behind a button or a submitted form (the tree runs slash commands)."""
    if interaction.type is discord.InteractionType.component:
        data: Mapping[str, Any] = interaction.data or {}
        custom_id = str(data.get("custom_id", ""))
        line = command_of(custom_id)
        if line is not None:
            await run_interaction(adapter, interaction, line, False)
        elif (in_server := server_command_of(custom_id)) is not None:
            await run_in_server(adapter, interaction, *in_server)
    elif interaction.type is discord.InteractionType.modal_submit:
        await submit_form(adapter, interaction)


async def run_interaction(
    adapter: DiscordAdapter,
    interaction: discord.Interaction[Any],
    what: Call | str,
    share: bool = False,
    actor: Actor | None = None,
) -> Reply | None:
    """Answer an interaction: quickly when the core is fast, deferring when it is not."""
    if adapter.in_flight.closing:
        return None
    async with adapter.in_flight.track():
        return await _answer_interaction(adapter, interaction, what, share, actor)


async def run_in_server(
    adapter: DiscordAdapter, interaction: discord.Interaction[Any], server_id: int, line: str
) -> None:
    """Run a button sent outside its server (a DM to the owner) as if clicked in it.

    The clicker counts as a moderator there only if Discord says so now: the owner, or a
    member with Manage Server (or the moderator role). A server the bot left refuses it.
    """
    guild = adapter.client.get_guild(server_id)
    if guild is None:
        await interaction.response.send_message(
            "I am no longer in that server, so this button does nothing.", ephemeral=True
        )
        return
    moderator = await moderates(guild, interaction.user, adapter.options.moderator_role)
    actor = replace(
        adapter.actor(interaction.user, interaction.channel_id, guild), is_moderator=moderator
    )
    await run_interaction(adapter, interaction, line, False, actor)


async def submit_form(adapter: DiscordAdapter, interaction: discord.Interaction[Any]) -> None:
    """Run a submitted form's command, keeping its text when it is refused."""
    call = adapter.forms.submission(interaction)
    if call is not None:
        reply = await run_interaction(adapter, interaction, call)
        adapter.forms.settle(str(interaction.user.id), call, reply)


async def _answer_interaction(
    adapter: DiscordAdapter,
    interaction: discord.Interaction[Any],
    what: Call | str,
    share: bool,
    actor: Actor | None = None,
) -> Reply | None:
    actor = actor or adapter.actor(
        interaction.user, interaction.channel_id, interaction.guild, interaction.permissions
    )
    if await adapter.forms.open_if_wanted(interaction, what, actor):
        return None  # a modal must be the first answer, before any defer
    event_id = f"interaction:{interaction.id}"
    # An interaction can always be answered privately: held notices come as ephemeral
    # follow-ups.
    if isinstance(what, Call):
        incoming = Incoming(
            actor, what.command, event_id, DISCORD_REFERENCES, what, shows_notices=True
        )
    else:  # a button's command line
        incoming = Incoming(actor, what, event_id, DISCORD_REFERENCES, shows_notices=True)
    work = asyncio.ensure_future(adapter.handle(incoming))
    try:
        reply = await asyncio.wait_for(asyncio.shield(work), adapter.options.ack_window)
    except TimeoutError:
        # Acknowledge now (privately unless shared: we cannot know yet what the reply holds).
        await interaction.response.defer(ephemeral=not share, thinking=True)
        reply = await work
        if reply is not None:
            await send_followup(interaction, shared(render(reply), share))
            await send_notices(interaction, reply)
        return reply
    if reply is None:  # a redelivered interaction: already answered
        return None
    rendered = shared(render(reply), share)
    await interaction.response.send_message(**message_kwargs(rendered, first=True))
    await send_rest(interaction, rendered)
    await send_notices(interaction, reply)
    return reply
