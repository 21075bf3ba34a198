"""Mentions and DMs answered (a mention in a thread on its message); prompt-thread answers."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.adapters.discord.followups import send_messages
from bot.adapters.discord.references import DiscordReferences
from bot.adapters.discord.render import button_view, render
from bot.adapters.discord.threads import thread_name
from bot.core.messages import Incoming, Platform
from bot.core.prompts.threads import thread_answer

if TYPE_CHECKING:
    from bot.adapters.discord.client import DiscordAdapter

log = logging.getLogger(__name__)


async def answer_message(adapter: DiscordAdapter, message: discord.Message) -> None:
    """Answer a DM, or a message that mentions the bot, in a thread on that message."""
    if adapter.in_flight.closing:
        return
    async with adapter.in_flight.track():
        await _answer_message(adapter, message)


async def _answer_message(adapter: DiscordAdapter, message: discord.Message) -> None:
    me = adapter.client.user
    if me is None or message.author.bot:
        return
    if await _is_prompt_thread(adapter, message):
        await _record_answer(adapter, message, me)
        return
    in_dm = message.guild is None
    if not in_dm and me not in message.mentions:
        return
    text = re.sub(rf"<@!?{me.id}>", " ", message.content).strip()
    actor = adapter.actor(message.author, message.channel.id, message.guild)
    references = DiscordReferences.of_message(message)
    # Only a DM is private: a mention in a channel leaves held notices for later.
    incoming = Incoming(actor, text, f"message:{message.id}", references, shows_notices=in_dm)
    reply = await adapter.handle(incoming)
    if reply is None:
        return
    rendered = render(reply)
    destination = await _thread_for(message, text) if not in_dm else None
    for index, page in enumerate(rendered.pages):
        kwargs: dict[str, Any] = {"embed": page}
        if index == 0 and rendered.file is not None:
            kwargs["file"] = rendered.file
        if index == 0 and rendered.buttons:
            kwargs["view"] = button_view(rendered)
        if destination is not None:
            await destination.send(**kwargs)
        else:
            await message.reply(mention_author=False, **kwargs)
    for notice in reply.notices:  # in the DM the member wrote in: they read it alone
        await send_messages(message.channel, render(notice.reply, notice.space_id))


async def _is_prompt_thread(adapter: DiscordAdapter, message: discord.Message) -> bool:
    """Say whether message was written in a daily prompt's answers thread."""
    channel = message.channel
    # A thread, or a channel discord.py has not cached (a thread it was not told about);
    # a known text channel is never one, so most messages cost no look-up.
    if adapter.threads is None or message.guild is None:
        return False
    if not isinstance(channel, discord.Thread | discord.PartialMessageable):
        return False
    return await adapter.threads.is_prompt_thread(Platform.DISCORD, str(channel.id))


async def _record_answer(
    adapter: DiscordAdapter, message: discord.Message, me: discord.ClientUser
) -> None:
    """Run a thread reply as `prompt answer`, and answer in the thread."""
    text = re.sub(rf"<@!?{me.id}>", " ", message.content).strip()
    if not text:
        # Without the Message Content intent Discord blanks replies that do not mention
        # the bot: nothing to record (`/prompt answer` works without it).
        return
    thread_id = str(message.channel.id)
    parent = getattr(message.channel, "parent_id", None) or message.channel.id
    actor = adapter.actor(message.author, parent, message.guild)
    references = DiscordReferences.of_message(message)
    incoming = thread_answer(
        adapter.table, actor, text, f"message:{message.id}", thread_id, references
    )
    if incoming is None:
        return  # this bot has no `prompt answer` command: replies are just chat
    reply = await adapter.handle(incoming)
    if reply is None:  # a redelivered message: already recorded
        return
    for page in render(reply).pages:
        await message.reply(embed=page, mention_author=False)


async def _thread_for(message: discord.Message, question: str) -> discord.Thread | None:
    """Open a thread on the question so the channel stays readable; None if not allowed."""
    if isinstance(message.channel, discord.Thread):
        return message.channel
    try:
        return await message.create_thread(name=thread_name(question, message))
    except (discord.Forbidden, discord.HTTPException) as error:
        log.info("cannot open a thread here (%s); replying inline", error)
        return None
