"""The Discord adapter: discord.py's client, its lifecycle (run, drain, close) and wiring.

What each kind of event does lives beside it: interactions.py (slash commands, buttons,
forms), mentions.py (mentions, DMs, prompt-thread answers), followups.py (sending what was
rendered), actors.py (who is talking), command_sync.py (syncing the command tree).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Literal

import discord
import yarl
from discord import app_commands

from bot.adapters.discord import command_sync, interactions, mentions
from bot.adapters.discord.actors import discord_actor
from bot.adapters.discord.commands import Completer, register
from bot.adapters.discord.failures import explain, install_log_filters
from bot.adapters.discord.forms import DiscordForms
from bot.adapters.discord.membership import DiscordMembership
from bot.adapters.discord.notifier import DiscordNotifier
from bot.adapters.discord.pacing import pace_requests
from bot.adapters.discord.prompts import DiscordPromptPublisher
from bot.core.commands import CommandTable
from bot.core.inflight import InFlight
from bot.core.messages import Actor, Call, Incoming, Platform, Reply
from bot.core.prompts.ports import PromptThreads

log = logging.getLogger(__name__)

Handle = Callable[[Incoming], Awaitable[Reply | None]]


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
        """Run the command behind a button or a form (the tree handles slash commands itself)."""
        await interactions.route_interaction(self.adapter, interaction)


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
        return discord_actor(user, channel_id, guild, permissions, self.options.moderator_role)

    # -- what each event does (see the modules named) ------------------------------------------

    async def run_interaction(
        self,
        interaction: discord.Interaction[Any],
        what: Call | str,
        share: bool = False,
        actor: Actor | None = None,
    ) -> Reply | None:
        """Answer an interaction: quickly when the core is fast, deferring when it is not."""
        return await interactions.run_interaction(self, interaction, what, share, actor)

    async def run_in_server(
        self, interaction: discord.Interaction[Any], server_id: int, line: str
    ) -> None:
        """Run a button sent outside its server (a DM to the owner) as if clicked in it."""
        await interactions.run_in_server(self, interaction, server_id, line)

    async def submit_form(self, interaction: discord.Interaction[Any]) -> None:
        """Run a submitted form's command, keeping its text when it is refused."""
        await interactions.submit_form(self, interaction)

    async def on_message(self, message: discord.Message) -> None:
        """Answer a DM, or a message that mentions the bot, in a thread on that message."""
        await mentions.answer_message(self, message)

    async def sync_if_changed(self, tree: app_commands.CommandTree[Any]) -> None:
        """Sync the command tree to Discord only when it differs from the last sync there."""
        options = self.options
        await command_sync.sync_if_changed(
            tree, options.api_base, options.sync_guild_id, options.sync_state_file
        )


async def _not_running(incoming: Incoming) -> Reply | None:
    raise RuntimeError("the Discord adapter was not started with run()")
