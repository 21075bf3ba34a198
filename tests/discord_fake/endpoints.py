"""The REST endpoints for users, the application, channels, messages, commands and members."""

from __future__ import annotations

import re

from .entities import APPLICATION_FLAGS
from .limits import check_message
from .recording import JSON, RecordedRequest
from .rest import (
    DIRECT_MESSAGES_INTENT,
    GUILD_MEMBERS_INTENT,
    GUILD_MESSAGES_INTENT,
    MISSING_ACCESS,
    MISSING_PERMISSIONS,
    Handler,
    Reply,
    RestApi,
    unknown,
)


class ResourceEndpoints:
    """Every route but the interaction callbacks and webhooks, on top of a `RestApi`."""

    def __init__(self, api: RestApi) -> None:
        self.world = api.world
        self.api = api
        for method, pattern, handler in self._routes():
            api.add_route(method, pattern, handler)

    def _routes(self) -> list[tuple[str, str, Handler]]:
        snowflake = r"(\d+)"
        return [
            ("GET", r"/users/@me", self._me),
            ("GET", rf"/users/{snowflake}", self._user),
            ("POST", r"/users/@me/channels", self._open_dm),
            ("GET", r"/(?:oauth2/)?applications/@me", self._application),
            ("GET", r"/gateway", self._gateway),
            ("GET", r"/gateway/bot", self._gateway_bot),
            ("GET", rf"/channels/{snowflake}", self._channel),
            ("POST", rf"/channels/{snowflake}/messages", self._create_message),
            ("GET", rf"/channels/{snowflake}/messages/{snowflake}", self._get_message),
            ("PATCH", rf"/channels/{snowflake}/messages/{snowflake}", self._edit_message),
            ("DELETE", rf"/channels/{snowflake}/messages/{snowflake}", self._delete_message),
            ("POST", rf"/channels/{snowflake}/typing", self._typing),
            ("POST", rf"/channels/{snowflake}/messages/{snowflake}/threads", self._start_thread),
            ("GET", rf"/applications/{snowflake}(?:/guilds/{snowflake})?/commands", self._commands),
            ("PUT", rf"/applications/{snowflake}(?:/guilds/{snowflake})?/commands", self._sync),
            ("GET", rf"/guilds/{snowflake}/roles", self._roles),
            ("GET", rf"/guilds/{snowflake}/members/{snowflake}", self._member),
            ("PUT", rf"/guilds/{snowflake}/members/{snowflake}/roles/{snowflake}", self._add_role),
            (
                "DELETE",
                rf"/guilds/{snowflake}/members/{snowflake}/roles/{snowflake}",
                self._del_role,
            ),
        ]

    # -- users, application, gateway ------------------------------------------------------

    async def _me(self, _m: re.Match[str], _r: RecordedRequest) -> Reply:
        extra = {"verified": True, "mfa_enabled": False, "email": None, "locale": "en-US"}
        return Reply(200, self.world.bot_user | extra)

    async def _user(self, m: re.Match[str], _r: RecordedRequest) -> Reply:
        user = self.world.users.get(int(m[1]))
        return Reply(200, user) if user else Reply(404, unknown("User", 10013))

    async def _open_dm(self, _m: re.Match[str], r: RecordedRequest) -> Reply:
        user = self.world.users.get(int((r.json or {}).get("recipient_id", 0)))
        if user is None:
            return Reply(400, unknown("User", 10013))
        return Reply(200, self.world.dm_channel_for(user))

    async def _application(self, _m: re.Match[str], _r: RecordedRequest) -> Reply:
        return Reply(
            200,
            {
                "id": str(self.world.application_id),
                "name": "roadmap-bot",
                "description": "The fake Discord's application",
                "icon": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": self.world.owner_user,
                "team": None,
                "verify_key": "0" * 64,
                "flags": APPLICATION_FLAGS,
                "bot": self.world.bot_user,
                "summary": "",
                "rpc_origins": [],
                "tags": [],
                "approximate_guild_count": 1,
            },
        )

    async def _gateway(self, _m: re.Match[str], _r: RecordedRequest) -> Reply:
        return Reply(200, {"url": self.api.gateway_url})

    async def _gateway_bot(self, _m: re.Match[str], _r: RecordedRequest) -> Reply:
        limit = {"total": 1000, "remaining": 999, "reset_after": 86_400_000, "max_concurrency": 1}
        return Reply(200, {"url": self.api.gateway_url, "shards": 1, "session_start_limit": limit})

    # -- channels and messages ------------------------------------------------------------

    async def _channel(self, m: re.Match[str], _r: RecordedRequest) -> Reply:
        channel = self.world.channel(int(m[1]))
        return Reply(200, channel) if channel else Reply(404, unknown("Channel", 10003))

    async def _create_message(self, m: re.Match[str], r: RecordedRequest) -> Reply:
        channel = self.world.channel(int(m[1]))
        if channel is None:
            return Reply(404, unknown("Channel", 10003))
        body = r.json or {}
        error = check_message(body, file_count=len(r.files))
        if error:
            return Reply(400, error)
        message = self.world.make_message(channel, self.world.bot_user, body, r.files)
        if self.api.echo_bot_messages:
            # Discord sends a bot its own messages too; a bot must not answer itself.
            guild = "guild_id" in message
            intent = GUILD_MESSAGES_INTENT if guild else DIRECT_MESSAGES_INTENT
            member = self.world.members[self.world.application_id]
            event = message | {"member": {k: v for k, v in member.items() if k != "user"}}
            await self.api.events.emit("MESSAGE_CREATE", event if guild else message, intent=intent)
        return Reply(200, message)

    async def _start_thread(self, m: re.Match[str], r: RecordedRequest) -> Reply:
        parent, message = self.world.channel(int(m[1])), self._message(m)
        if parent is None or message is None:
            return Reply(404, unknown("Message", 10008))
        name = str((r.json or {}).get("name") or "thread")
        return Reply(201, self.world.make_thread(parent, int(m[2]), name))

    def _message(self, m: re.Match[str]) -> JSON | None:
        message = self.world.messages.get(int(m[2]))
        return message if message and message["channel_id"] == m[1] else None

    async def _get_message(self, m: re.Match[str], _r: RecordedRequest) -> Reply:
        message = self._message(m)
        return Reply(200, message) if message else Reply(404, unknown("Message", 10008))

    async def _edit_message(self, m: re.Match[str], r: RecordedRequest) -> Reply:
        message = self._message(m)
        if message is None:
            return Reply(404, unknown("Message", 10008))
        error = check_message(r.json or {}, file_count=len(r.files), editing=True)
        if error:
            return Reply(400, error)
        return Reply(200, self.world.edit_message(message, r.json or {}, r.files))

    async def _delete_message(self, m: re.Match[str], _r: RecordedRequest) -> Reply:
        if self._message(m) is None:
            return Reply(404, unknown("Message", 10008))
        del self.world.messages[int(m[2])]
        return Reply(204)

    async def _typing(self, m: re.Match[str], _r: RecordedRequest) -> Reply:
        known = self.world.channel(int(m[1])) is not None
        return Reply(204) if known else Reply(404, unknown("Channel", 10003))

    # -- application commands -------------------------------------------------------------

    def _command_list(self, m: re.Match[str]) -> list[JSON] | None:
        if int(m[1]) != self.world.application_id:
            return None
        if m[2] is None:
            return self.world.global_commands
        return self.world.guild_commands.setdefault(int(m[2]), [])

    async def _commands(self, m: re.Match[str], _r: RecordedRequest) -> Reply:
        commands = self._command_list(m)
        return Reply(403, MISSING_ACCESS) if commands is None else Reply(200, commands)

    async def _sync(self, m: re.Match[str], r: RecordedRequest) -> Reply:
        """Replace the command list (bulk overwrite), keeping ids of commands that stay."""
        commands = self._command_list(m)
        if commands is None:
            return Reply(403, MISSING_ACCESS)
        old_ids = {(c["name"], c.get("type", 1)): c["id"] for c in commands}
        stored = []
        for command in r.json or []:
            key = (command["name"], command.get("type", 1))
            entry = {
                "type": 1,
                "description": "",
                "options": [],
                "default_member_permissions": None,
                "nsfw": False,
                **command,
                "id": old_ids.get(key) or str(self.world.new_id()),
                "application_id": str(self.world.application_id),
                "version": str(self.world.new_id()),
            }
            if m[2] is not None:
                entry["guild_id"] = m[2]
            stored.append(entry)
        commands[:] = stored
        return Reply(200, stored)

    # -- guild members and roles ----------------------------------------------------------

    async def _roles(self, m: re.Match[str], _r: RecordedRequest) -> Reply:
        if int(m[1]) != self.world.guild_id:
            return Reply(404, unknown("Guild", 10004))
        return Reply(200, self.world.roles)

    async def _member(self, m: re.Match[str], _r: RecordedRequest) -> Reply:
        if int(m[1]) != self.world.guild_id:
            return Reply(404, unknown("Guild", 10004))
        member = self.world.members.get(int(m[2]))
        return Reply(200, member) if member else Reply(404, unknown("Member", 10007))

    async def _add_role(self, m: re.Match[str], r: RecordedRequest) -> Reply:
        return await self._change_role(m, add=True)

    async def _del_role(self, m: re.Match[str], r: RecordedRequest) -> Reply:
        return await self._change_role(m, add=False)

    async def _change_role(self, m: re.Match[str], *, add: bool) -> Reply:
        if int(m[1]) != self.world.guild_id:
            return Reply(404, unknown("Guild", 10004))
        member = self.world.members.get(int(m[2]))
        if member is None:
            return Reply(404, unknown("Member", 10007))
        role = self.world.role(int(m[3]))
        if role is None:
            return Reply(404, unknown("Role", 10011))
        if not self.world.bot_may_assign(role):
            return Reply(403, MISSING_PERMISSIONS)
        roles = [r for r in member["roles"] if r != m[3]] + ([m[3]] if add else [])
        if roles != member["roles"]:
            member["roles"] = roles
            # discord.py updates its member cache only from this event, not from the 204.
            update = {k: v for k, v in member.items() if k not in ("deaf", "mute")}
            await self.api.events.emit(
                "GUILD_MEMBER_UPDATE",
                update | {"guild_id": m[1]},
                intent=GUILD_MEMBERS_INTENT,
            )
        return Reply(204)
