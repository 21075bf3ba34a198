"""`FakeDiscord`: Discord's REST API and gateway (v10) on 127.0.0.1, for end-to-end tests."""

from __future__ import annotations

import logging
from typing import Generic, Self, TypeVar, cast, overload

import yarl
from aiohttp import web

from tests.fake_support import LocalServer

from .dispatching import DispatchHelpers
from .endpoints import ResourceEndpoints
from .gateway import INVALID_SESSION, RECONNECT, Gateway, GatewayConnection
from .interactions import SentInteraction
from .ratelimits import RouteLimits
from .recording import JSON, FailureRule, RateLimitRule, RecordedRequest, Recorder
from .rest import GUILDS_INTENT, RestApi
from .webhooks import InteractionWebhooks
from .world import World

log = logging.getLogger(__name__)

# Not a secret: the fake accepts only this token, so a test notices a client that sends another.
DEFAULT_TOKEN = "fake-bot-token.for-tests.only"  # noqa: S105
T = TypeVar("T")


class _WorldValue(Generic[T]):
    """A read-only attribute of `FakeDiscord` that shows a value of its `World`."""

    def __init__(self, name: str, doc: str) -> None:
        self.name = name
        self.__doc__ = doc

    @overload
    def __get__(self, instance: None, owner: type) -> Self: ...

    @overload
    def __get__(self, instance: FakeDiscord, owner: type) -> T: ...

    def __get__(self, instance: FakeDiscord | None, owner: type) -> T | Self:
        if instance is None:  # looked up on the class (help(), inspect)
            return self
        return cast(T, getattr(instance.world, self.name))


class FakeDiscord(DispatchHelpers):
    """A fake Discord server for the real discord.py: one guild, REST + gateway, all recorded.

    `gateway_compression=False` sends plain text frames even when the client asks for
    zlib-stream. `echo_bot_messages` sends the bot its own channel messages as Discord does.
    `enforce_intents` drops MESSAGE_CREATE events the bot did not subscribe to and blanks the
    content of guild messages without the MESSAGE_CONTENT intent, as Discord does.
    `limits` turns on Discord's per-route and global rate limits (see ratelimits.py).
    """

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        gateway_compression: bool = True,
        heartbeat_interval_ms: int = 41_250,
        echo_bot_messages: bool = True,
        enforce_intents: bool = True,
        limits: RouteLimits | None = None,
    ) -> None:
        self.world = World()
        self.limits = limits
        self.recorder = Recorder()
        self._token = token
        self.enforce_intents = enforce_intents
        self.gateway = Gateway(
            self.world,
            self.recorder.signal,
            self.recorder.errors,
            token=token,
            compress=gateway_compression,
            heartbeat_interval_ms=heartbeat_interval_ms,
        )
        self.rest = RestApi(
            self.world,
            self.recorder,
            self.gateway,
            token=token,
            echo_bot_messages=echo_bot_messages,
            limits=limits,
        )
        ResourceEndpoints(self.rest)
        InteractionWebhooks(self.rest)
        self._server = LocalServer()

    # -- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        """Bind to 127.0.0.1 on a free port and start serving."""
        app = web.Application()
        app.router.add_get("/", self.gateway.handle)
        app.router.add_route("*", "/api/v10/{tail:.*}", self.rest.handle)
        app.router.add_route("*", "/{tail:.*}", self.rest.handle)  # recorded 404s
        base = await self._server.start(app)
        self.gateway.url = self.rest.gateway_url = base.replace("http://", "ws://", 1) + "/"

    async def close(self) -> None:
        """Close every websocket and stop the server."""
        await self.gateway.close_all()
        await self._server.stop()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    # -- where and who --------------------------------------------------------------------

    @property
    def rest_base(self) -> str:
        """Return the value for `discord.http.Route.BASE`."""
        return f"{self._server.base_url}/api/v10"

    @property
    def gateway_url(self) -> yarl.URL:
        """Return the value for `discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY`."""
        return yarl.URL(self.gateway.url)

    @property
    def token(self) -> str:
        """Return the only bot token the fake accepts."""
        return self._token

    application_id: _WorldValue[int] = _WorldValue("application_id", "The application id.")
    bot_user: _WorldValue[JSON] = _WorldValue("bot_user", "The bot's user object.")
    owner_user: _WorldValue[JSON] = _WorldValue("owner_user", "The guild owner (every permission).")
    member_user: _WorldValue[JSON] = _WorldValue("member_user", "'alice', a plain member.")
    moderator_user: _WorldValue[JSON] = _WorldValue("moderator_user", "'mod', a Moderator.")
    guild_id: _WorldValue[int] = _WorldValue("guild_id", "The one guild's id.")
    everyone_role_id: _WorldValue[int] = _WorldValue("guild_id", "@everyone: the guild's id.")
    moderator_role_id: _WorldValue[int] = _WorldValue("moderator_role_id", "Moderator role.")
    learner_role_id: _WorldValue[int] = _WorldValue("learner_role_id", "Learner role (nobody).")
    bot_role_id: _WorldValue[int] = _WorldValue("bot_role_id", "The bot's own role (at 3).")
    channel_id: _WorldValue[int] = _WorldValue("channel_id", "#general, a text channel.")
    second_channel_id: _WorldValue[int] = _WorldValue("second_channel_id", "#roadmap.")
    roles: _WorldValue[list[JSON]] = _WorldValue("roles", "The guild's role objects.")
    channels: _WorldValue[list[JSON]] = _WorldValue("channels", "The guild's channels.")

    @property
    def members(self) -> list[JSON]:
        """Return the guild's member objects (each with its `user`)."""
        return list(self.world.members.values())

    @property
    def messages(self) -> list[JSON]:
        """Return every message that exists (sent by the bot or dispatched), oldest first."""
        return list(self.world.messages.values())

    def member_role_ids(self, user_id: int | str) -> list[int]:
        """Return the ids of a member's roles, as the bot's grants left them."""
        return self.world.member_role_ids(int(user_id))

    # -- roles and permissions, changed by a test -----------------------------------------

    async def add_role(self, name: str, *, position: int = 1, permissions: int = 0) -> int:
        """Create a role and tell the bot (GUILD_ROLE_CREATE); return its id.

        The bot may grant it only below its own role (`position` < 3), as on Discord.
        """
        role = self.world.add_role(name, position, permissions)
        await self._role_event("GUILD_ROLE_CREATE", role)
        return int(role["id"])

    async def set_bot_permissions(self, permissions: int) -> None:
        """Set the permissions of the bot's own role (say, without Manage Roles); tell the bot."""
        role = self.world.set_role_permissions(self.world.bot_role_id, permissions)
        await self._role_event("GUILD_ROLE_UPDATE", role)

    async def _role_event(self, event: str, role: JSON) -> None:
        # Keeps discord.py's cache in step with the fake, as Discord's own events would.
        data = {"guild_id": str(self.world.guild_id), "role": role}
        await self.gateway.emit(event, data, intent=GUILDS_INTENT)

    # -- what the bot did -----------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Return every REST call, 401/404/429 answers included, oldest first."""
        return self.recorder.requests

    @property
    def errors(self) -> list[str]:
        """Return failures inside the fake itself (a test should expect none)."""
        return self.recorder.errors

    @property
    def identify_payloads(self) -> list[JSON]:
        """Return the `d` of every IDENTIFY (intents, properties, shard, token)."""
        return self.gateway.identifies

    @property
    def intents(self) -> int | None:
        """Return the intents of the current gateway session, if any."""
        return self.gateway.current.intents if self.gateway.current else None

    @property
    def gateway_connections(self) -> list[GatewayConnection]:
        """Return every websocket connection (`.query`, `.compression`, `.closed`)."""
        return self.gateway.connections

    def requests_matching(
        self, method: str, path_regex: str, *, include_rate_limited: bool = False
    ) -> list[RecordedRequest]:
        """Return calls with `method` whose path fully matches `path_regex` (no /api/v10).

        Calls answered 429 by `rate_limit_next` are left out unless `include_rate_limited`.
        """
        return self.recorder.matching(method, path_regex, include_rate_limited=include_rate_limited)

    async def wait_for_request(
        self,
        method: str,
        path_regex: str,
        timeout: float = 5.0,
        count: int = 1,
        *,
        include_rate_limited: bool = False,
    ) -> RecordedRequest:
        """Wait until `count` matching calls were answered; return the `count`-th."""
        found = await self.wait_for_requests(
            method, path_regex, timeout, count, include_rate_limited=include_rate_limited
        )
        return found[-1]

    async def wait_for_requests(
        self,
        method: str,
        path_regex: str,
        timeout: float = 5.0,
        count: int = 1,
        *,
        include_rate_limited: bool = False,
    ) -> list[RecordedRequest]:
        """Wait until `count` matching calls were answered; return the first `count`."""

        def enough() -> list[RecordedRequest] | None:
            found = self.recorder.matching(
                method, path_regex, include_rate_limited=include_rate_limited
            )
            return found[:count] if len(found) >= count else None

        what = f"{count} x {method} {path_regex}"
        return await self.recorder.signal.wait_for(enough, timeout, what)

    async def wait_for_interaction_response(
        self, sent: SentInteraction, timeout: float = 5.0
    ) -> RecordedRequest:
        """Wait for the bot's callback (reply, defer, choices...) to `sent`; return it."""
        return await self.wait_for_request("POST", sent.callback_path, timeout)

    async def wait_for_followup(
        self, sent: SentInteraction, timeout: float = 5.0, count: int = 1
    ) -> RecordedRequest:
        """Wait for the `count`-th follow-up message of `sent`; return it."""
        return await self.wait_for_request("POST", sent.webhook_path, timeout, count)

    def rate_limit_next(
        self, method: str, path_regex: str, times: int = 1, retry_after: float = 0.05
    ) -> None:
        """Answer the next `times` matching calls with a 429 that asks for `retry_after` s."""
        self.recorder.rate_limits.append(
            RateLimitRule(method.upper(), path_regex, times, retry_after)
        )

    def fail_next(
        self, method: str, path_regex: str, status: int, body: JSON, times: int = 1
    ) -> None:
        """Answer the next `times` matching calls with `status` and `body` (Discord's error).

        For refusals such as 403 Missing Permissions (code 50013) on a route that exists. A
        500, 502 or 504 makes discord.py retry after 1, 3, 5... seconds; 503 it raises at once.
        """
        rule = FailureRule(method.upper(), path_regex, status, body, times)
        self.recorder.failures.append(rule)

    # -- gateway --------------------------------------------------------------------------

    async def wait_until_identified(self, timeout: float = 5.0) -> JSON:
        """Wait until a client has identified (READY and GUILD_CREATE sent); return IDENTIFY."""
        identifies = self.gateway.identifies
        return await self.recorder.signal.wait_for(
            lambda: identifies[-1] if identifies else None, timeout, "IDENTIFY"
        )

    async def dispatch(self, event: str, data: JSON) -> int:
        """Dispatch any gateway event to the bot; return its sequence number."""
        return await self.gateway.dispatch(event, data)

    async def reconnect(self, timeout: float = 5.0) -> None:
        """Send op 7 RECONNECT and wait until the client has resumed on a new connection."""
        before = self.gateway.resumes
        await self.gateway.send_op(RECONNECT, None)
        await self.recorder.signal.wait_for(
            lambda: self.gateway.resumes > before, timeout, "RESUME"
        )

    async def invalidate_session(self, resumable: bool = False, timeout: float = 5.0) -> None:
        """Send op 9 and wait until the client resumed (`resumable`) or identified again."""
        resumes, identifies = self.gateway.resumes, len(self.gateway.identifies)
        await self.gateway.send_op(INVALID_SESSION, resumable)

        def done() -> bool:
            if resumable:
                return self.gateway.resumes > resumes
            return len(self.gateway.identifies) > identifies

        await self.recorder.signal.wait_for(done, timeout, "new session")
