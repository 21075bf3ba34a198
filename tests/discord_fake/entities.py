"""Snowflakes, permission bits and the user and role objects of the fake guild."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from .recording import JSON

DISCORD_EPOCH_MS = 1_420_070_400_000
# Fixed entities get ids from one fixed instant, so ids are the same in every run.
_FIXED_BASE = (1_704_067_200_000 - DISCORD_EPOCH_MS) << 22  # 2024-01-01T00:00:00Z
CDN = "https://cdn.discordapp.invalid"

# Permission bits (https://discord.com/developers/docs/topics/permissions).
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
USE_APPLICATION_COMMANDS = 1 << 31
ADMINISTRATOR = 1 << 3
MANAGE_ROLES = 1 << 28
ALL_PERMISSIONS = (1 << 51) - 1
EVERYONE_PERMISSIONS = (
    VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_APPLICATION_COMMANDS
    | (1 << 6)  # add reactions
    | (1 << 26)  # change nickname
)
MODERATOR_PERMISSIONS = (
    MANAGE_MESSAGES | MANAGE_ROLES | (1 << 1) | (1 << 2) | (1 << 5) | (1 << 40)
)  # + kick, ban, manage guild, moderate members
# The application may use the privileged intents (GATEWAY_GUILD_MEMBERS/MESSAGE_CONTENT_LIMITED).
APPLICATION_FLAGS = (1 << 15) | (1 << 19)
BOT_ROLE_PERMISSIONS = MANAGE_ROLES | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES


def fixed_id(n: int) -> int:
    """Return the n-th fixed snowflake (stable across runs)."""
    return _FIXED_BASE + n


def now_iso() -> str:
    """Return the current time the way Discord writes timestamps."""
    return datetime.now(UTC).isoformat()


class SnowflakeFactory:
    """Make new, strictly increasing snowflakes that carry the current time."""

    def __init__(self) -> None:
        self._last = 0

    def __call__(self) -> int:
        value = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
        self._last = max(value, self._last + 1)
        return self._last


def make_user(n: int, username: str, *, bot: bool = False) -> JSON:
    """Build a user object with every field discord.py reads."""
    return {
        "id": str(fixed_id(n)),
        "username": username,
        "discriminator": "0",
        "global_name": None if bot else username.title(),
        "avatar": None,
        "bot": bot,
        "system": False,
        "flags": 0,
        "public_flags": 0,
    }


def make_role(role_id: int, name: str, permissions: int, position: int, **extra: Any) -> JSON:
    """Build a role object."""
    role = {
        "id": str(role_id),
        "name": name,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "icon": None,
        "unicode_emoji": None,
        "position": position,
        "permissions": str(permissions),
        "managed": False,
        "mentionable": True,
        "flags": 0,
    }
    role.update(extra)
    return role
