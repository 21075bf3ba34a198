"""Discord's mention syntax, turned into the core's neutral references and plain text."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import discord

from bot.core.messages import ChannelRef, MemberRef, Platform, RoleRef

_USER = re.compile(r"<@!?([0-9]{1,20})>")
_CHANNEL = re.compile(r"<#([0-9]{1,20})>")
_ROLE = re.compile(r"<@&([0-9]{1,20})>|([0-9]{1,20})")
_ROLE_MENTION = re.compile(r"<@&([0-9]{1,20})>")
_EMOJI = re.compile(r"<a?:(\w{1,32}):[0-9]{1,20}>")
_TIMESTAMP = re.compile(r"<t:(-?[0-9]{1,13})(?::[tTdDfFR])?>")


@dataclass(frozen=True, slots=True)
class DiscordReferences:
    """Resolve `<@id>`, `<#id>` and `<@&id>` (or a bare role id) in a typed line.

    names maps the ids a message mentions to what people see (Discord sends them with it),
    so free text reads `@ada` instead of `<@123>`.
    """

    names: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of_message(cls, message: discord.Message) -> DiscordReferences:
        """Return references that know the names of the message's mentions."""
        names = {str(u.id): f"@{getattr(u, 'display_name', u.name)}" for u in message.mentions}
        names |= {f"&{r.id}": f"@{r.name}" for r in message.role_mentions}
        names |= {f"#{c.id}": f"#{getattr(c, 'name', 'channel')}" for c in message.channel_mentions}
        return cls(names)

    def member(self, word: str) -> MemberRef | None:
        """Return the member of a user mention."""
        match = _USER.fullmatch(word)
        if match is None:
            return None
        return MemberRef(Platform.DISCORD, match.group(1), self.names.get(match.group(1), ""))

    def channel(self, word: str) -> ChannelRef | None:
        """Return the channel of a channel mention."""
        match = _CHANNEL.fullmatch(word)
        return ChannelRef(match.group(1)) if match else None

    def role(self, word: str) -> RoleRef | None:
        """Return the role of a role mention, or of a role id."""
        match = _ROLE.fullmatch(word)
        return RoleRef(match.group(1) or match.group(2)) if match else None

    def plain(self, text: str) -> str:
        """Return text with mentions, custom emoji and timestamps written out."""
        text = _ROLE_MENTION.sub(lambda m: self.names.get(f"&{m.group(1)}", "@role"), text)
        text = _USER.sub(lambda m: self.names.get(m.group(1), "@member"), text)
        text = _CHANNEL.sub(lambda m: self.names.get(f"#{m.group(1)}", "#channel"), text)
        text = _EMOJI.sub(r":\1:", text)
        return _TIMESTAMP.sub("a time", text)


DISCORD_REFERENCES = DiscordReferences()
