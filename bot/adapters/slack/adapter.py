"""The Slack adapter: slash command, mentions, DMs, buttons and App Home through slack-bolt."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.failures import explain
from bot.adapters.slack.http import SlackHttpListener
from bot.adapters.slack.ids import member_id
from bot.adapters.slack.listeners import register
from bot.adapters.slack.membership import SlackMembership
from bot.adapters.slack.notifier import SlackNotifier
from bot.adapters.slack.prompts import SlackPromptPublisher
from bot.adapters.slack.render import blocks
from bot.core.commands import CommandTable
from bot.core.inflight import InFlight
from bot.core.messages import Actor, Incoming, Platform, Reply
from bot.core.prompts.ports import PromptThreads

log = logging.getLogger(__name__)

Handle = Callable[[Incoming], Awaitable[Reply | None]]
DIRECTORY_TTL = 600.0  # seconds to trust a cached users.info / user-group answer
HOME_COMMANDS = ("progress", "next")  # what the App Home tab shows


@dataclass(frozen=True, slots=True)
class SlackOptions:
    """What the Slack adapter needs from the settings."""

    bot_token: str
    signing_secret: str | None = None
    app_token: str | None = None  # Socket Mode when set and mode is "socket"
    api_base: str = "https://slack.com/api/"
    mode: str = "http"  # "http" (Events API over HTTPS) or "socket" (Socket Mode)
    host: str = "0.0.0.0"  # noqa: S104 - the HTTP listener sits behind the user's proxy
    port: int = 3000
    path: str = "/slack/events"
    command: str = "/roadmap"
    moderator_group: str | None = None  # a user group id whose members moderate


def _bolt_logger() -> logging.Logger:
    """Return the logger bolt and its middleware log to: never below INFO."""
    # Bolt's debug lines carry whole response and request bodies (user text, ids).
    bolt_log = logging.getLogger(f"{__name__}.bolt")
    bolt_log.setLevel(max(logging.INFO, logging.getLogger().getEffectiveLevel()))
    return bolt_log


class _Directory:
    """Cached answers to 'who is this user' and 'who moderates'."""

    def __init__(self, client: AsyncWebClient, moderator_group: str | None) -> None:
        self._client = client
        self._group = moderator_group
        self._users: dict[str, tuple[float, str, bool]] = {}
        self._moderators: tuple[float, frozenset[str]] = (0.0, frozenset())

    async def user(self, user_id: str) -> tuple[str, bool]:
        """Return (display name, is workspace admin or owner)."""
        cached = self._users.get(user_id)
        if cached and time.monotonic() - cached[0] < DIRECTORY_TTL:
            return cached[1], cached[2]
        info = (await self._client.users_info(user=user_id)).get("user") or {}
        profile = info.get("profile") or {}
        name = profile.get("display_name") or info.get("real_name") or info.get("name") or user_id
        admin = bool(info.get("is_admin") or info.get("is_owner") or info.get("is_primary_owner"))
        self._users[user_id] = (time.monotonic(), str(name), admin)
        return str(name), admin

    async def in_moderator_group(self, user_id: str) -> bool:
        """Return True when the user is in the configured moderator user group."""
        if self._group is None:
            return False
        fetched_at, members = self._moderators
        if time.monotonic() - fetched_at > DIRECTORY_TTL:
            answer = await self._client.usergroups_users_list(usergroup=self._group)
            members = frozenset(answer.get("users") or [])
            self._moderators = (time.monotonic(), members)
        return user_id in members


class SlackAdapter:
    """Run the bot on Slack."""

    platform: ClassVar[Literal[Platform.SLACK]] = Platform.SLACK
    platform_name = "Slack"

    def __init__(self, options: SlackOptions, table: CommandTable) -> None:
        self.options = options
        self.table = table
        # Given by run(): the adapter (and its notifier) exists before the bot it serves.
        self.handle: Handle = _not_running
        self.threads: PromptThreads | None = None  # given by run(): which threads take answers
        client = AsyncWebClient(token=options.bot_token, base_url=options.api_base)
        self.app = AsyncApp(
            client=client,
            signing_secret=options.signing_secret,
            # The HTTP listener verifies signatures itself, on the raw bytes before bolt parses
            # them; bolt's own check ran after parsing and logged refused bodies in full.
            # Socket Mode requests are not signed.
            request_verification_enabled=False,
            logger=_bolt_logger(),
        )
        self.directory = _Directory(client, options.moderator_group)
        self.notifier = SlackNotifier(client, options.moderator_group)
        self.membership = SlackMembership(client)
        self.prompt_publisher = SlackPromptPublisher(client)
        self._runner: web.AppRunner | None = None
        self._stopped = asyncio.Event()
        self._socket: Any = None
        self.in_flight = InFlight()
        self.ended = False  # run() has returned or failed: reminders stop going out here
        register(self)

    async def actor(self, team_id: str, user_id: str, channel_id: str) -> Actor:
        """Return the core's Actor for a Slack user."""
        name, admin = await self.directory.user(user_id)
        moderator = admin or await self.directory.in_moderator_group(user_id)
        return Actor(
            platform=Platform.SLACK,
            space_id=team_id,
            channel_id=channel_id,
            user_id=member_id(team_id, user_id),
            display_name=name,
            is_moderator=moderator,
            space_name=team_id,
        )

    async def publish_home(self, team_id: str, user_id: str) -> None:
        """Publish the App Home tab: the member's progress and what to learn next."""
        actor = await self.actor(team_id, user_id, "home")
        view_blocks: list[dict[str, Any]] = []
        for command in HOME_COMMANDS:
            reply = await self.handle(Incoming(actor, command))
            if reply is not None:
                view_blocks += [*blocks(reply), {"type": "divider"}]
        await self.app.client.views_publish(
            user_id=user_id, view={"type": "home", "blocks": view_blocks[:100]}
        )

    async def run(self, handle: Handle, threads: PromptThreads | None = None) -> None:
        """Serve Slack until closed (HTTP listener or Socket Mode), answering through handle.

        With threads, a reply in a daily prompt's thread is recorded as an answer.
        """
        self.handle = handle
        self.threads = threads
        try:
            await self._serve()
        finally:
            self.ended = True

    async def _serve(self) -> None:
        if self.options.mode == "socket":
            from slack_bolt.adapter.socket_mode.async_handler import (
                AsyncSocketModeHandler,
            )

            socket: Any = AsyncSocketModeHandler(self.app, self.options.app_token)
            await socket.connect_async()
            self._socket = socket
        else:
            if not self.options.signing_secret:
                raise ValueError("Slack HTTP mode needs a signing secret")
            listener = SlackHttpListener(self.app, self.options.signing_secret)
            runner = web.AppRunner(listener.web_app(self.options.path))
            await runner.setup()
            site = web.TCPSite(runner, self.options.host, self.options.port)
            try:
                await site.start()
            except BaseException:
                await runner.cleanup()  # the port is taken (say): nothing may stay half-open
                raise
            self._runner = runner  # only now: close() stops a runner that is fully started
            log.info("Slack events at http://%s:%d%s", self.options.host, self.options.port,
                     self.options.path)  # fmt: skip
        if self.in_flight.closing:
            # close() ran while we were still starting (the process was told to stop):
            # it found nothing to stop, so stop what was just started.
            await self._stop_serving()
        await self._stopped.wait()

    @property
    def secrets(self) -> tuple[str, ...]:
        """Return what must never appear in a log line."""
        options = self.options
        return tuple(s for s in (options.bot_token, options.signing_secret, options.app_token) if s)

    def explain(self, error: BaseException) -> str | None:
        """Say in one line why run() failed with error; None if it is not a known failure."""
        return explain(error, self.options.mode, self.options.host, self.options.port)

    async def close(self, drain_seconds: float = 10.0) -> None:
        """Stop intake, let replies in flight finish, then stop serving."""
        self.in_flight.closing = True
        await self._stop_serving()  # no new requests; acks already sent
        await self.in_flight.drain(drain_seconds)
        self._stopped.set()

    async def _stop_serving(self) -> None:
        socket, runner = self._socket, self._runner
        self._socket = self._runner = None
        if socket is not None:
            await socket.close_async()
        if runner is not None:
            await runner.cleanup()


async def _not_running(incoming: Incoming) -> Reply | None:
    raise RuntimeError("the Slack adapter was not started with run()")
