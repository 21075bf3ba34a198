"""The Discord adapter: turns slash commands, buttons, mentions and DMs into core calls."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar, Literal

import discord
import yarl
from discord import app_commands

from bot.adapters.discord.commands import Completer, register
from bot.adapters.discord.failures import explain, install_log_filters
from bot.adapters.discord.forms import DiscordForms
from bot.adapters.discord.membership import DiscordMembership
from bot.adapters.discord.notifier import DiscordNotifier
from bot.adapters.discord.pacing import pace_requests
from bot.adapters.discord.prompts import DiscordPromptPublisher
from bot.adapters.discord.references import DISCORD_REFERENCES, DiscordReferences
from bot.adapters.discord.render import (
    Rendered,
    button_view,
    command_of,
    render,
    server_command_of,
)
from bot.adapters.discord.sync_state import SyncState, sync_target
from bot.adapters.discord.threads import thread_name
from bot.core.commands import CommandTable
from bot.core.inflight import InFlight
from bot.core.messages import Actor, Call, Incoming, Platform, Reply
from bot.core.prompts.ports import PromptThreads
from bot.core.prompts.threads import thread_answer

log = logging.getLogger(__name__)

Handle = Callable[[Incoming], Awaitable[Reply | None]]
DM_SPACE = "dm"


@dataclass(frozen=True, slots=True)
class DiscordOptions:
    """What the Discord adapter needs from the settings."""

    token: str
    api_base: str = "https://discord.com/api/v10"
    gateway_url: str = "wss://gateway.discord.gg"
    moderator_role: str | None = None  # a role name or id that counts as moderator
    sync_guild_id: int | None = None  # sync commands to one server (development)
    sync_state_file: Path | None = None  # remembers what was synced where (JSON)
    message_content: bool = False  # the privileged intent; mentions and DMs work without it
    guild_ready_timeout: float = 2.0  # discord.py's wait for servers after connecting
    ack_window: float = 2.0  # seconds of work before deferring; Discord drops answers after 3 s
    requests_per_second: int = 50  # Discord's global limit for the bot (higher if granted)


def configure_endpoints(options: DiscordOptions) -> None:
    """Point discord.py at the configured REST base and gateway (class-level settings)."""
    # discord.py reads both from class attributes; there is no per-client option.
    discord.http.Route.BASE = options.api_base.rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(options.gateway_url)


class RoadmapClient(discord.Client):
    """discord.Client with the command tree and the adapter's event handlers."""

    def __init__(self, adapter: DiscordAdapter, intents: discord.Intents) -> None:
        super().__init__(
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=adapter.options.guild_ready_timeout,
        )
        self.adapter = adapter
        self.tree: app_commands.CommandTree[RoadmapClient] = app_commands.CommandTree(self)
        self.pace = pace_requests(self.http, adapter.options.requests_per_second)

    async def setup_hook(self) -> None:
        """Register the slash commands and sync them when they changed."""
        register(
            self.tree, self.adapter.table, self.adapter.run_interaction, self.adapter.completers
        )
        await self.adapter.sync_if_changed(self.tree)

    async def on_ready(self) -> None:
        """Log who we are."""
        log.info("connected to Discord as %s", self.user)

    async def on_message(self, message: discord.Message) -> None:
        """Answer DMs and messages that mention the bot."""
        await self.adapter.on_message(message)

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """Run the command behind a button (the tree handles slash commands itself)."""
        if interaction.type is discord.InteractionType.component:
            data: Mapping[str, Any] = interaction.data or {}
            custom_id = str(data.get("custom_id", ""))
            line = command_of(custom_id)
            if line is not None:
                await self.adapter.run_interaction(interaction, line, False)
            elif (in_server := server_command_of(custom_id)) is not None:
                await self.adapter.run_in_server(interaction, *in_server)
        elif interaction.type is discord.InteractionType.modal_submit:
            await self.adapter.submit_form(interaction)


class DiscordAdapter:
    """Run the bot on Discord."""

    platform: ClassVar[Literal[Platform.DISCORD]] = Platform.DISCORD
    platform_name = "Discord"

    def __init__(self, options: DiscordOptions, table: CommandTable) -> None:
        self.options = options
        self.table = table
        # Given by run(): the adapter (and its notifier) exists before the bot it serves.
        self.handle: Handle = _not_running
        self.completers: dict[str, Completer] = {}
        self.threads: PromptThreads | None = None  # given by run(): which threads take answers
        self.forms = DiscordForms(table)
        intents = discord.Intents.none()
        intents.guilds = True
        intents.guild_messages = True
        intents.dm_messages = True
        intents.message_content = options.message_content
        configure_endpoints(options)
        # The bot never joins voice: discord.py would warn about voice libraries at each start.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        install_log_filters()
        self.client = RoadmapClient(self, intents)
        self.in_flight = InFlight()
        self.notifier = DiscordNotifier(self.client)
        self.membership = DiscordMembership(self.client)
        self.prompt_publisher = DiscordPromptPublisher(self.client)
        self.ended = False  # run() has returned or failed: nothing can be sent through it

    async def run(
        self,
        handle: Handle,
        completers: Mapping[str, Completer],
        threads: PromptThreads | None = None,
    ) -> None:
        """Connect and serve until closed, answering through handle.

        With threads, a reply in a daily prompt's thread is recorded as an answer.
        """
        self.handle = handle
        self.completers = dict(completers)
        self.threads = threads
        try:
            async with self.client:
                await self.client.start(self.options.token)
        finally:
            self.ended = True

    @property
    def secrets(self) -> tuple[str, ...]:
        """Return what must never appear in a log line."""
        return (self.options.token,)

    def explain(self, error: BaseException) -> str | None:
        """Say in one line why run() failed with error; None if it is not a known failure."""
        return explain(error)

    async def close(self, drain_seconds: float = 10.0) -> None:
        """Stop intake, let replies in flight finish, then disconnect."""
        await self.in_flight.drain(drain_seconds)
        # discord.py leaves its guild-ready timer running on close; when it fires later it
        # schedules events on a loop the client has already let go of.
        ready = getattr(self.client._connection, "_ready_task", None)
        if ready is not None:
            ready.cancel()
            await asyncio.gather(ready, return_exceptions=True)
        await self.client.close()

    # -- who is talking ------------------------------------------------------------------------

    def actor(self, user: discord.abc.User, channel_id: int | None, guild: discord.Guild | None,
              permissions: discord.Permissions | None = None) -> Actor:  # fmt: skip
        """Return the core's Actor for a Discord user in a guild or a DM."""
        return Actor(
            platform=Platform.DISCORD,
            space_id=str(guild.id) if guild else DM_SPACE,
            channel_id=str(channel_id or 0),
            user_id=str(user.id),
            display_name=getattr(user, "display_name", user.name),
            is_moderator=guild is not None and self._is_moderator(user, permissions),
            space_name=guild.name if guild else "Direct messages",
        )

    def _is_moderator(
        self, user: discord.abc.User, permissions: discord.Permissions | None
    ) -> bool:
        if permissions is not None and (permissions.manage_guild or permissions.administrator):
            return True
        wanted = self.options.moderator_role
        roles = getattr(user, "roles", [])
        return wanted is not None and any(wanted in (r.name, str(r.id)) for r in roles)

    # -- slash commands and buttons ------------------------------------------------------------

    async def run_interaction(
        self,
        interaction: discord.Interaction[Any],
        what: Call | str,
        share: bool = False,
        actor: Actor | None = None,
    ) -> Reply | None:
        """Answer an interaction: quickly when the core is fast, deferring when it is not."""
        if self.in_flight.closing:
            return None
        async with self.in_flight.track():
            return await self._answer_interaction(interaction, what, share, actor)

    async def run_in_server(
        self, interaction: discord.Interaction[Any], server_id: int, line: str
    ) -> None:
        """Run a button sent outside its server (a DM to the owner) as if clicked in it.

        The clicker counts as a moderator there only if Discord says so now: the owner, or a
        member with Manage Server (or the moderator role). A server the bot left refuses it.
        """
        guild = self.client.get_guild(server_id)
        if guild is None:
            await interaction.response.send_message(
                "I am no longer in that server, so this button does nothing.", ephemeral=True
            )
            return
        moderator = await self._moderates(guild, interaction.user)
        actor = replace(
            self.actor(interaction.user, interaction.channel_id, guild), is_moderator=moderator
        )
        await self.run_interaction(interaction, line, False, actor)

    async def _moderates(self, guild: discord.Guild, user: discord.abc.User) -> bool:
        if user.id == guild.owner_id:
            return True
        try:  # no members intent: ask Discord for this one member
            member = guild.get_member(user.id) or await guild.fetch_member(user.id)
        except discord.HTTPException:  # not (or no longer) a member of that server
            return False
        return self._is_moderator(member, member.guild_permissions)

    async def submit_form(self, interaction: discord.Interaction[Any]) -> None:
        """Run a submitted form's command, keeping its text when it is refused."""
        call = self.forms.submission(interaction)
        if call is not None:
            reply = await self.run_interaction(interaction, call)
            self.forms.settle(str(interaction.user.id), call, reply)

    async def _answer_interaction(
        self,
        interaction: discord.Interaction[Any],
        what: Call | str,
        share: bool,
        actor: Actor | None = None,
    ) -> Reply | None:
        actor = actor or self.actor(
            interaction.user, interaction.channel_id, interaction.guild, interaction.permissions
        )
        if await self.forms.open_if_wanted(interaction, what, actor):
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
        work = asyncio.ensure_future(self.handle(incoming))
        try:
            reply = await asyncio.wait_for(asyncio.shield(work), self.options.ack_window)
        except TimeoutError:
            # Acknowledge now (privately unless shared: we cannot know yet what the reply holds).
            await interaction.response.defer(ephemeral=not share, thinking=True)
            reply = await work
            if reply is not None:
                await self._send_followup(interaction, _shared(render(reply), share))
                await self._send_notices(interaction, reply)
            return reply
        if reply is None:  # a redelivered interaction: already answered
            return None
        rendered = _shared(render(reply), share)
        await interaction.response.send_message(**_message_kwargs(rendered, first=True))
        await self._send_rest(interaction, rendered)
        await self._send_notices(interaction, reply)
        return reply

    async def _send_followup(
        self, interaction: discord.Interaction[Any], rendered: Rendered
    ) -> None:
        await interaction.followup.send(**_message_kwargs(rendered, first=True))
        await self._send_rest(interaction, rendered)

    async def _send_notices(self, interaction: discord.Interaction[Any], reply: Reply) -> None:
        """Send the member's held notices as ephemeral follow-ups, one message each."""
        for notice in reply.notices:
            rendered = render(notice.reply, notice.space_id)  # its buttons act in its server
            rendered.ephemeral = True
            await self._send_followup(interaction, rendered)

    async def _send_rest(self, interaction: discord.Interaction[Any], rendered: Rendered) -> None:
        """Send the pages after the first (Discord allows 10 embeds, but 6,000 chars in all)."""
        for page in rendered.pages[1:]:
            await interaction.followup.send(embed=page, ephemeral=rendered.ephemeral)

    # -- mentions and direct messages ------------------------------------------------------------

    async def on_message(self, message: discord.Message) -> None:
        """Answer a DM, or a message that mentions the bot, in a thread on that message."""
        if self.in_flight.closing:
            return
        async with self.in_flight.track():
            await self._answer_message(message)

    async def _answer_message(self, message: discord.Message) -> None:
        me = self.client.user
        if me is None or message.author.bot:
            return
        if await self._is_prompt_thread(message):
            await self._record_answer(message, me)
            return
        in_dm = message.guild is None
        if not in_dm and me not in message.mentions:
            return
        text = re.sub(rf"<@!?{me.id}>", " ", message.content).strip()
        actor = self.actor(message.author, message.channel.id, message.guild)
        references = DiscordReferences.of_message(message)
        # Only a DM is private: a mention in a channel leaves held notices for later.
        incoming = Incoming(actor, text, f"message:{message.id}", references, shows_notices=in_dm)
        reply = await self.handle(incoming)
        if reply is None:
            return
        rendered = render(reply)
        destination = await self._thread_for(message, text) if not in_dm else None
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
            await _send_messages(message.channel, render(notice.reply, notice.space_id))

    async def _is_prompt_thread(self, message: discord.Message) -> bool:
        """Say whether message was written in a daily prompt's answers thread."""
        channel = message.channel
        # A thread, or a channel discord.py has not cached (a thread it was not told about);
        # a known text channel is never one, so most messages cost no look-up.
        if self.threads is None or message.guild is None:
            return False
        if not isinstance(channel, discord.Thread | discord.PartialMessageable):
            return False
        return await self.threads.is_prompt_thread(Platform.DISCORD, str(channel.id))

    async def _record_answer(self, message: discord.Message, me: discord.ClientUser) -> None:
        """Run a thread reply as `prompt answer`, and answer in the thread."""
        text = re.sub(rf"<@!?{me.id}>", " ", message.content).strip()
        if not text:
            # Without the Message Content intent Discord blanks replies that do not mention
            # the bot: nothing to record (`/prompt answer` works without it).
            return
        thread_id = str(message.channel.id)
        parent = getattr(message.channel, "parent_id", None) or message.channel.id
        actor = self.actor(message.author, parent, message.guild)
        references = DiscordReferences.of_message(message)
        incoming = thread_answer(
            self.table, actor, text, f"message:{message.id}", thread_id, references
        )
        if incoming is None:
            return  # this bot has no `prompt answer` command: replies are just chat
        reply = await self.handle(incoming)
        if reply is None:  # a redelivered message: already recorded
            return
        for page in render(reply).pages:
            await message.reply(embed=page, mention_author=False)

    async def _thread_for(self, message: discord.Message, question: str) -> discord.Thread | None:
        """Open a thread on the question so the channel stays readable; None if not allowed."""
        if isinstance(message.channel, discord.Thread):
            return message.channel
        try:
            return await message.create_thread(name=thread_name(question, message))
        except (discord.Forbidden, discord.HTTPException) as error:
            log.info("cannot open a thread here (%s); replying inline", error)
            return None

    # -- command sync -------------------------------------------------------------------------

    async def sync_if_changed(self, tree: app_commands.CommandTree[Any]) -> None:
        """Sync the command tree to Discord only when it differs from the last sync there."""
        scope = f"guild:{self.options.sync_guild_id}" if self.options.sync_guild_id else "global"
        digest = tree_digest(tree, scope)
        target = sync_target(self.options.api_base, tree.client.application_id, scope)
        state = SyncState(self.options.sync_state_file)
        if state.is_current(target, digest):
            log.info("slash commands unchanged since the last sync; not syncing")
            return
        guild = discord.Object(self.options.sync_guild_id) if self.options.sync_guild_id else None
        if guild is not None:
            tree.copy_global_to(guild=guild)
        await tree.sync(guild=guild)
        log.info("synced %d slash commands (%s)", len(tree.get_commands()), scope)
        state.remember(target, digest)


def tree_digest(tree: app_commands.CommandTree[Any], scope: str) -> str:
    """Return a digest of the tree as Discord receives it: groups with their subcommands too."""
    payload = [command.to_dict(tree) for command in tree.get_commands()]
    return hashlib.sha256(json.dumps([scope, payload], sort_keys=True).encode()).hexdigest()


async def _not_running(incoming: Incoming) -> Reply | None:
    raise RuntimeError("the Discord adapter was not started with run()")


def _shared(rendered: Rendered, share: bool) -> Rendered:
    """Make a private answer public when the person asked to share it."""
    if share:
        rendered.ephemeral = False
    return rendered


async def _send_messages(channel: discord.abc.Messageable, rendered: Rendered) -> None:
    """Send rendered as messages of a channel: one per page, the buttons on the first."""
    for index, page in enumerate(rendered.pages):
        kwargs: dict[str, Any] = {"embed": page}
        if index == 0 and rendered.buttons:
            kwargs["view"] = button_view(rendered)
        await channel.send(**kwargs)


def _message_kwargs(rendered: Rendered, *, first: bool) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"embed": rendered.pages[0], "ephemeral": rendered.ephemeral}
    if first and rendered.file is not None:
        kwargs["file"] = rendered.file
    if first and rendered.buttons:
        kwargs["view"] = button_view(rendered)
    return kwargs
