"""Ports of the roadmap job: where members' progress and resource feedback are kept."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.core.ports import MemberKey


@dataclass(frozen=True, slots=True)
class Feedback:
    """One member's opinion of one resource."""

    rating: int = 0  # +1 up, -1 down, 0 none
    seen: bool = False


class ProgressRepository(Protocol):
    """Stores where each member stands on each roadmap topic."""

    async def statuses(self, key: MemberKey) -> dict[str, str]:
        """Return topic id -> status ("done", "learning", "skip") for the member."""
        ...

    async def set_status(self, key: MemberKey, topic_id: str, status: str) -> None:
        """Record the member's status for a topic (replacing any earlier one)."""
        ...

    async def clear(self, key: MemberKey, topic_ids: Sequence[str]) -> int:
        """Forget the member's status for these topic ids; return how many were removed."""
        ...


class FeedbackRepository(Protocol):
    """Stores members' ratings of resources and which ones they have seen."""

    async def feedback(self, key: MemberKey) -> dict[str, Feedback]:
        """Return resource id -> the member's feedback."""
        ...

    async def rate(self, key: MemberKey, resource_id: str, rating: int) -> None:
        """Record the member's rating (+1 or -1) of a resource."""
        ...

    async def mark_seen(self, key: MemberKey, resource_id: str) -> None:
        """Record that the member has seen a resource."""
        ...

    async def scores(self) -> dict[str, int]:
        """Return resource id -> sum of all members' ratings (only rated resources)."""
        ...
