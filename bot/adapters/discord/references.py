"""Discord's mention syntax, turned into the core's neutral references."""

from __future__ import annotations

import re

from bot.core.messages import ChannelRef, MemberRef, Platform, RoleRef

_USER = re.compile(r"<@!?([0-9]{1,20})>")
_CHANNEL = re.compile(r"<#([0-9]{1,20})>")
_ROLE = re.compile(r"<@&([0-9]{1,20})>|([0-9]{1,20})")


class DiscordReferences:
    """Resolve `<@id>`, `<#id>` and `<@&id>` (or a bare role id) in a typed line."""

    def member(self, word: str) -> MemberRef | None:
        """Return the member of a user mention."""
        match = _USER.fullmatch(word)
        return MemberRef(Platform.DISCORD, match.group(1)) if match else None

    def channel(self, word: str) -> ChannelRef | None:
        """Return the channel of a channel mention."""
        match = _CHANNEL.fullmatch(word)
        return ChannelRef(match.group(1)) if match else None

    def role(self, word: str) -> RoleRef | None:
        """Return the role of a role mention, or of a role id."""
        match = _ROLE.fullmatch(word)
        return RoleRef(match.group(1) or match.group(2)) if match else None


DISCORD_REFERENCES = DiscordReferences()
