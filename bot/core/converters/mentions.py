"""Kinds that name someone or something: members, channels, roles (via References)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.converters.base import BadValue, ConvertContext, Kind
from bot.core.messages import ChannelRef, MemberRef, RoleRef
from bot.core.sanitize import quote_user_text


@dataclass(frozen=True)
class Member(Kind):
    """A member of the space, named by a mention (or, in the console, by name)."""

    name = "member"

    def convert(self, word: str, context: ConvertContext) -> object:
        """Return the member the platform's references find for word."""
        member = context.references.member(word.strip())
        if member is None:
            raise BadValue("must name a member with a mention, e.g. `@ada`")
        return member

    def accept(self, value: object, context: ConvertContext) -> object:
        """Return a MemberRef as it is."""
        return value if isinstance(value, MemberRef) else super().accept(value, context)

    def describe(self) -> str:
        """Return how to name a member."""
        return "a member (mention them)"


@dataclass(frozen=True)
class Channel(Kind):
    """A channel of the space, named by a channel mention."""

    name = "channel"

    def convert(self, word: str, context: ConvertContext) -> object:
        """Return the channel the platform's references find for word."""
        channel = context.references.channel(word.strip())
        if channel is None:
            raise BadValue("must name a channel with a mention, e.g. `#study`")
        return channel

    def accept(self, value: object, context: ConvertContext) -> object:
        """Return a ChannelRef as it is."""
        return value if isinstance(value, ChannelRef) else super().accept(value, context)

    def claims(self, word: str) -> bool:
        """Take only a channel mention (`#study`, `<#C1>`) when it is optional."""
        return word.startswith(("#", "<#"))

    def describe(self) -> str:
        """Return how to name a channel."""
        return "a channel (mention it)"


@dataclass(frozen=True)
class Role(Kind):
    """A role of the space, named by a role mention or its id; `off` when allowed."""

    allow_off: bool = False
    name = "role"

    def convert(self, word: str, context: ConvertContext) -> object:
        """Return the role, or None for `off` when allowed."""
        if self.allow_off and word.strip().casefold() == "off":
            return None
        role = context.references.role(word.strip())
        if role is None:
            shown = quote_user_text(word, 40) or "nothing"
            raise BadValue(f"must be a role mention (@Role) or a role id, not `{shown}`")
        return role

    def accept(self, value: object, context: ConvertContext) -> object:
        """Return a RoleRef as it is."""
        return value if isinstance(value, RoleRef) else super().accept(value, context)

    def describe(self) -> str:
        """Return how to name a role."""
        return "a role (mention it)" + (" or `off`" if self.allow_off else "")
