"""Slack member ids: qualified by team, because user ids are unique only per workspace."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.messages import ChannelRef, MemberRef, Platform, RoleRef

# Real ids are letters and digits; test fakes use underscores too.
_USER_MENTION = re.compile(r"<@([UW][A-Z0-9_]+)(?:\|([^>]*))?>")
_CHANNEL_MENTION = re.compile(r"<#([CG][A-Z0-9_]+)(?:\|([^>]*))?>")
_GROUP_MENTION = re.compile(r"<!subteam\^([A-Z0-9_]+)(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!(here|channel|everyone|date\^[^>|]*)(?:\|[^>]*)?>")
_LINK = re.compile(r"<((?:https?|mailto):[^>|]*)(?:\|([^>]*))?>")


def member_id(team_id: str, user_id: str) -> str:
    """Return a Slack user id qualified by workspace (Slack ids are per workspace)."""
    return f"{team_id}:{user_id}"


def split_member_id(qualified: str) -> tuple[str, str]:
    """Return (team id, user id) of a qualified Slack member id."""
    team, _, user = qualified.partition(":")
    return team, user


@dataclass(frozen=True, slots=True)
class SlackReferences:
    """Resolve Slack's `<@U…>`, `<#C…>` and `<!subteam^S…>` in a line typed in one workspace."""

    team_id: str

    def member(self, word: str) -> MemberRef | None:
        """Return the member of a user mention, qualified by this workspace."""
        match = _USER_MENTION.fullmatch(word)
        if match is None:
            return None
        return MemberRef(
            Platform.SLACK, member_id(self.team_id, match.group(1)), match.group(2) or ""
        )

    def channel(self, word: str) -> ChannelRef | None:
        """Return the channel of a channel mention."""
        match = _CHANNEL_MENTION.fullmatch(word)
        return ChannelRef(match.group(1), match.group(2) or "") if match else None

    def role(self, word: str) -> RoleRef | None:
        """Return the user group of a group mention (Slack's nearest thing to a role)."""
        match = _GROUP_MENTION.fullmatch(word)
        return RoleRef(match.group(1), match.group(2) or "") if match else None

    def plain(self, text: str) -> str:
        """Return text with Slack's <…> markup written out as people saw it."""
        text = _USER_MENTION.sub(lambda m: f"@{m.group(2) or 'member'}", text)
        text = _CHANNEL_MENTION.sub(lambda m: f"#{m.group(2) or 'channel'}", text)
        text = _GROUP_MENTION.sub(lambda m: f"@{(m.group(2) or 'group').lstrip('@')}", text)
        # <!here> -> @here, as people saw it: the Q&A drops it as a mention, and render.py's
        # neutralising turns any echo into plain "here", so it never pings.
        text = _SPECIAL.sub(lambda m: m.group(1) if "^" in m.group(1) else "@" + m.group(1), text)
        return _LINK.sub(lambda m: m.group(2) or m.group(1), text)
