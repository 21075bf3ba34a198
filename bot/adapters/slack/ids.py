"""Slack member ids: qualified by team, because user ids are unique only per workspace."""

from __future__ import annotations

import re

# Real ids are letters and digits; test fakes use underscores too.
_USER_MENTION = re.compile(r"<@([UW][A-Z0-9_]+)(?:\|[^>]*)?>")


def member_id(team_id: str, user_id: str) -> str:
    """Return a Slack user id qualified by workspace (Slack ids are per workspace)."""
    return f"{team_id}:{user_id}"


def qualify_mentions(text: str, team_id: str) -> str:
    """Return text with user mentions (<@U123|ada>) naming qualified ids (<@T1:U123>).

    Members are keyed by team and user id, so `streak @ada` must name the same key.
    """
    return _USER_MENTION.sub(lambda m: f"<@{member_id(team_id, m.group(1))}>", text)


def split_member_id(qualified: str) -> tuple[str, str]:
    """Return (team id, user id) of a qualified Slack member id."""
    team, _, user = qualified.partition(":")
    return team, user
