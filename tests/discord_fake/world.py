"""The fake Discord's data: one guild, its channels, roles and members, and the messages sent."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .entities import (
    ADMINISTRATOR,
    ALL_PERMISSIONS,
    BOT_ROLE_PERMISSIONS,
    CDN,
    EVERYONE_PERMISSIONS,
    MANAGE_ROLES,
    MODERATOR_PERMISSIONS,
    SnowflakeFactory,
    fixed_id,
    make_role,
    make_user,
    now_iso,
)
from .recording import JSON, RecordedFile

_MENTION = re.compile(r"<@!?(\d+)>")


@dataclass
class InteractionState:
    """What the fake knows about one interaction it dispatched."""

    id: int
    token: str
    payload: JSON
    acknowledged: bool = False
    callback_type: int | None = None
    original: JSON | None = None
    followups: list[JSON] = field(default_factory=list)


class World:
    """One guild with two text channels, four roles and four members (one of them the bot)."""

    def __init__(self) -> None:
        self.new_id = SnowflakeFactory()
        self.bot_user = make_user(10, "roadmap-bot", bot=True)
        # Discord gives a bot user the id of its application.
        self.application_id = int(self.bot_user["id"])
        self.owner_user = make_user(11, "owner")
        self.member_user = make_user(12, "alice")
        self.moderator_user = make_user(13, "mod")
        self.users: dict[int, JSON] = {
            int(u["id"]): u
            for u in (self.bot_user, self.owner_user, self.member_user, self.moderator_user)
        }
        self.guild_id = fixed_id(1)
        self.moderator_role_id = fixed_id(2)
        self.learner_role_id = fixed_id(3)
        self.bot_role_id = fixed_id(4)
        # The @everyone role has the id of its guild.
        self.roles: list[JSON] = [
            make_role(self.guild_id, "@everyone", EVERYONE_PERMISSIONS, 0, mentionable=False),
            make_role(self.learner_role_id, "Learner", 0, 1),
            make_role(self.moderator_role_id, "Moderator", MODERATOR_PERMISSIONS, 2),
            make_role(
                self.bot_role_id,
                "roadmap-bot",
                BOT_ROLE_PERMISSIONS,
                3,
                managed=True,
                tags={"bot_id": self.bot_user["id"]},
            ),
        ]
        self.channel_id = fixed_id(20)
        self.second_channel_id = fixed_id(21)
        self.threads: list[JSON] = []  # threads started on messages (POST .../threads)
        self.channels: list[JSON] = [
            self._text_channel(self.channel_id, "general", 0),
            self._text_channel(self.second_channel_id, "roadmap", 1),
        ]
        member_roles = {
            int(self.bot_user["id"]): [self.bot_role_id],
            int(self.owner_user["id"]): [],
            int(self.member_user["id"]): [],
            int(self.moderator_user["id"]): [self.moderator_role_id],
        }
        self.members: dict[int, JSON] = {
            uid: self._member(self.users[uid], roles) for uid, roles in member_roles.items()
        }
        self.dm_channels: dict[int, JSON] = {}  # recipient user id -> DM channel
        self.messages: dict[int, JSON] = {}  # every message, in creation order
        self.interactions: dict[int, InteractionState] = {}
        self.global_commands: list[JSON] = []
        self.guild_commands: dict[int, list[JSON]] = {}

    def add_text_channels(self, count: int) -> list[int]:
        """Add count text channels to the guild (after the bot connected: REST only); their ids."""
        first = len(self.channels)
        added = [fixed_id(1000 + first + n) for n in range(count)]
        for n, channel_id in enumerate(added):
            self.channels.append(self._text_channel(channel_id, f"study-{first + n}", first + n))
        return added

    def _text_channel(self, channel_id: int, name: str, position: int) -> JSON:
        return {
            "id": str(channel_id),
            "type": 0,
            "guild_id": str(self.guild_id),
            "name": name,
            "position": position,
            "permission_overwrites": [],
            "parent_id": None,
            "topic": f"#{name} of the fake guild",
            "nsfw": False,
            "rate_limit_per_user": 0,
            "last_message_id": None,
            "flags": 0,
        }

    @staticmethod
    def _member(user: JSON, roles: list[int]) -> JSON:
        return {
            "user": user,
            "nick": None,
            "avatar": None,
            "banner": None,
            "roles": [str(r) for r in roles],
            "joined_at": "2024-01-01T00:00:00+00:00",
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }

    # -- look-ups -------------------------------------------------------------------------

    def role(self, role_id: int) -> JSON | None:
        """Return the role with this id, if the guild has it."""
        return next((r for r in self.roles if int(r["id"]) == role_id), None)

    def member_role_ids(self, user_id: int) -> list[int]:
        """Return the ids of a member's roles (@everyone is implied, not listed)."""
        return [int(r) for r in self.members[user_id]["roles"]]

    def bot_may_assign(self, role: JSON) -> bool:
        """Tell whether the bot may give or take `role`, by Discord's rules.

        It needs Manage Roles (Administrator implies it), and even then only roles below its
        own highest role: the hierarchy binds administrators too.
        """
        bot_id = int(self.bot_user["id"])
        if not self.permissions_for(bot_id) & MANAGE_ROLES:
            return False
        own = [self.role(role_id) for role_id in self.member_role_ids(bot_id)]
        highest = max((r["position"] for r in own if r is not None), default=0)
        return int(role["position"]) < highest

    def channel(self, channel_id: int) -> JSON | None:
        """Return a guild channel or an open DM channel."""
        found = next((c for c in self.channels + self.threads if int(c["id"]) == channel_id), None)
        if found is None:
            found = next((c for c in self.dm_channels.values() if int(c["id"]) == channel_id), None)
        return found

    def permissions_for(self, user_id: int) -> int:
        """Return a member's guild permissions: the owner and admins have every bit."""
        if user_id == int(self.owner_user["id"]):
            return ALL_PERMISSIONS
        member = self.members.get(user_id)
        role_ids = [self.guild_id, *(int(r) for r in member["roles"])] if member else []
        value = 0
        for role_id in role_ids:
            role = self.role(role_id)
            value |= int(role["permissions"]) if role else 0
        return ALL_PERMISSIONS if value & ADMINISTRATOR else value

    def member_with_permissions(self, user: JSON) -> JSON:
        """Return the member object an interaction carries (a stranger gets no roles)."""
        member = self.members.get(int(user["id"])) or self._member(user, [])
        return {**member, "permissions": str(self.permissions_for(int(user["id"])))}

    def dm_channel_for(self, user: JSON) -> JSON:
        """Return (opening it on first use) the bot's DM channel with `user`."""
        uid = int(user["id"])
        if uid not in self.dm_channels:
            self.dm_channels[uid] = {
                "id": str(self.new_id()),
                "type": 1,
                "recipients": [user],
                "last_message_id": None,
                "flags": 0,
            }
        return self.dm_channels[uid]

    # -- changes made by tests -------------------------------------------------------------

    def add_member(self, username: str) -> JSON:
        """Add a plain member (no roles) and return their user; before the bot connects.

        GUILD_CREATE lists the members, so one added later is unknown to the bot's cache
        (interactions still carry them, and DMs reach them).
        """
        user = make_user(100 + len(self.users), username)
        self.users[int(user["id"])] = user
        self.members[int(user["id"])] = self._member(user, [])
        return user

    def add_role(self, name: str, position: int, permissions: int) -> JSON:
        """Create a role at `position` (the bot's own role is at 3) and return it."""
        role = make_role(self.new_id(), name, permissions, position)
        self.roles.append(role)
        return role

    def set_role_permissions(self, role_id: int, permissions: int) -> JSON:
        """Change a role's permissions and return it."""
        role = self.role(role_id)
        if role is None:
            raise ValueError(f"no role {role_id} in the fake guild")
        role["permissions"] = str(permissions)
        return role

    # -- gateway payloads -----------------------------------------------------------------

    def guild_create(self) -> JSON:
        """Build the GUILD_CREATE payload (member_count == len(members): no chunking needed)."""
        return {
            "id": str(self.guild_id),
            "name": "Backend Roadmap",
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": self.owner_user["id"],
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 1,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": "en-US",
            "system_channel_id": str(self.channel_id),
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "features": [],
            "roles": self.roles,
            "emojis": [],
            "stickers": [],
            "joined_at": "2024-01-01T00:00:00+00:00",
            "large": False,
            "unavailable": False,
            "member_count": len(self.members),
            "members": list(self.members.values()),
            "channels": self.channels,
            "threads": [],
            "presences": [],
            "voice_states": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }

    # -- messages -------------------------------------------------------------------------

    def make_thread(self, parent: JSON, message_id: int, name: str) -> JSON:
        """Start a public thread on a message; like Discord, it takes the message's id."""
        thread: JSON = {
            "id": str(message_id),
            "type": 11,  # public thread
            "guild_id": parent["guild_id"],
            "parent_id": parent["id"],
            "name": name[:100],
            "owner_id": self.bot_user["id"],
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "message_count": 0,
            "member_count": 1,
            "flags": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": now_iso(),
                "locked": False,
            },
        }
        self.threads.append(thread)
        return thread

    def make_message(
        self,
        channel: JSON,
        author: JSON,
        body: JSON,
        files: Sequence[RecordedFile] = (),
        **extra: Any,
    ) -> JSON:
        """Build (and store) a message from a create-message body and its uploaded files."""
        message_id = self.new_id()
        described = {a.get("id"): a for a in body.get("attachments", [])}
        attachments = [
            self._attachment(channel, f, described.get(index, {}).get("description"))
            for index, f in enumerate(files)
        ]
        content = body.get("content") or ""
        mentioned = [self.users[u] for u in map(int, _MENTION.findall(content)) if u in self.users]
        message = {
            "id": str(message_id),
            "type": 0,
            "channel_id": channel["id"],
            "author": author,
            "content": content,
            "timestamp": now_iso(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts", False)),
            "mention_everyone": False,
            "mentions": mentioned,
            "mention_roles": [],
            "attachments": attachments,
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "pinned": False,
            "flags": int(body.get("flags") or 0),
            **extra,
        }
        if "guild_id" in channel:
            message["guild_id"] = channel["guild_id"]
        if body.get("message_reference"):
            message["message_reference"] = body["message_reference"]
        self.messages[message_id] = message
        channel["last_message_id"] = message["id"]
        return message

    def edit_message(self, message: JSON, body: JSON, files: Sequence[RecordedFile]) -> JSON:
        """Apply an edit body to a stored message and return it."""
        for key in ("content", "embeds", "components"):
            if key in body:
                message[key] = body[key] or ([] if key != "content" else "")
        if "flags" in body and body["flags"] is not None:
            message["flags"] = int(body["flags"])
        if "attachments" in body or files:
            channel = self.channel(int(message["channel_id"])) or {"id": message["channel_id"]}
            kept_ids = {str(a.get("id")) for a in body.get("attachments", [])}
            kept = [a for a in message["attachments"] if a["id"] in kept_ids]
            message["attachments"] = kept + [self._attachment(channel, f, None) for f in files]
        message["edited_timestamp"] = now_iso()
        return message

    def _attachment(self, channel: JSON, file: RecordedFile, description: str | None) -> JSON:
        attachment_id = self.new_id()
        url = f"{CDN}/attachments/{channel['id']}/{attachment_id}/{file.filename}"
        return {
            "id": str(attachment_id),
            "filename": file.filename,
            "description": description,
            "content_type": file.content_type,
            "size": file.size,
            "url": url,
            "proxy_url": url,
            "flags": 0,
        }
