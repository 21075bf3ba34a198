"""Members: the storage identity of the person behind an actor."""

from __future__ import annotations

from bot.core.messages import Actor
from bot.core.ports import MemberKey


def member_key(actor: Actor) -> MemberKey:
    """Return the storage identity of the person behind actor."""
    return MemberKey(actor.platform, actor.user_id)
