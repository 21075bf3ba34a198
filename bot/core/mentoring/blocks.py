"""`mentor block|unblock @member`: a member's private list of people never to be paired with.

A block is nobody's business but the blocker's: replies are private, the blocked member is
never told, and matching only learns that a pair is forbidden, never who asked.
"""

from __future__ import annotations

from bot.core.errors import UsageError
from bot.core.mentoring.ports import MentorBlocks
from bot.core.mentoring.profile_input import usage_of
from bot.core.messages import MemberRef, Reply
from bot.core.requests import Request
from bot.core.sanitize import quote_user_text


class MentorBlockDesk:
    """Answer `mentor block` and `mentor unblock`."""

    def __init__(self, blocks: MentorBlocks) -> None:
        self._blocks = blocks

    async def block(self, request: Request) -> Reply:
        """Block the named member on this platform; refuse blocking oneself."""
        member = self._member(request)
        added = await self._blocks.block(request.actor.platform, request.actor.user_id,
                                         member.user_id)  # fmt: skip
        name = _name(member)
        return Reply(
            title="Blocked" if added else "Blocked already",
            text=f"You will never be paired with {name}. Nobody is told, {name} included. "
            f"Undo it with `mentor unblock`.",
            ephemeral=True,
        )

    async def unblock(self, request: Request) -> Reply:
        """Remove a block the actor set."""
        member = self._member(request)
        removed = await self._blocks.unblock(request.actor.platform, request.actor.user_id,
                                             member.user_id)  # fmt: skip
        name = _name(member)
        return Reply(
            title="Unblocked" if removed else "Not blocked",
            text=f"You may be paired with {name} again."
            if removed
            else f"You had not blocked {name}.",
            ephemeral=True,
        )

    def _member(self, request: Request) -> MemberRef:
        member = request.get("member", MemberRef)
        usage = usage_of(request)
        if member is None:  # the table makes it required
            raise UsageError("Name the member, e.g. `@ada`.", usage=usage, argument="member")
        if member.platform is not request.actor.platform:
            raise UsageError("Name a member of this platform.", usage=usage, argument="member")
        if member.user_id == request.actor.user_id:
            raise UsageError("You cannot block yourself.", usage=usage, argument="member")
        return member


def _name(member: MemberRef) -> str:
    return quote_user_text(member.display_name, 40) or "that member"
