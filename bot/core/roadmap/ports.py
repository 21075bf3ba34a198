"""Ports of the roadmap job: progress, resource feedback, and what questions came to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from bot.core.messages import Platform
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


class Rated(StrEnum):
    """What a Helpful / Not helpful click did."""

    UNKNOWN = "unknown"  # no answer with that number in this community (or a declined one)
    NEW = "new"
    CHANGED = "changed"
    SAME = "same"


@dataclass(frozen=True, slots=True)
class AskedQuestion:
    """One question's outcome as recorded: never its words, unless kept as a declined one."""

    platform: Platform
    space_id: str
    asker_id: str
    asked_at: datetime
    answered: bool
    documents: tuple[str, ...] = ()  # `kind:id` of the entries the answer used
    topics: tuple[str, ...] = ()
    # A declined question's sanitised text: stored only if the community keeps them, which
    # the store decides in the same statement (a setting turned off is never raced past).
    declined_text: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentRatings:
    """How members rated the answers one knowledge-base entry was part of."""

    document: str  # `kind:id`
    helpful: int
    unhelpful: int


@dataclass(frozen=True, slots=True)
class KeptQuestion:
    """A declined question's text, kept because the community asked for it."""

    asked_at: datetime
    text: str


@dataclass(frozen=True, slots=True)
class AskStats:
    """A community's questions since a moment: outcomes, ratings, topics, kept texts."""

    answered: int = 0
    declined: int = 0
    helpful: int = 0
    rated: int = 0
    topics: tuple[tuple[str, int], ...] = ()  # (topic id, answers), most asked first
    documents: tuple[DocumentRatings, ...] = ()  # rated not helpful at least once, worst first
    kept: tuple[KeptQuestion, ...] = ()  # newest first


class AskLog(Protocol):
    """Stores what each question came to, the ratings of answers, and the keep setting."""

    async def record(self, question: AskedQuestion) -> int:
        """Store one question's outcome (its text only where kept); return its answer id."""
        ...

    async def rate(
        self, answer_id: int, member: MemberKey, space_id: str, helpful: bool, at: datetime
    ) -> Rated:
        """Store member's rating of an answer given in space_id (one per member and answer)."""
        ...

    async def stats(
        self, platform: Platform, space_id: str, since: datetime, top: int, kept: int
    ) -> AskStats:
        """Return the community's figures for questions asked since `since`."""
        ...

    async def keeps_declined(self, platform: Platform, space_id: str) -> bool:
        """Say whether the community keeps declined questions' text (off by default)."""
        ...

    async def set_keeps_declined(self, platform: Platform, space_id: str, keep: bool) -> int:
        """Turn keeping on or off; off deletes the texts kept so far (return how many)."""
        ...

    async def prune(self, records_before: datetime, texts_before: datetime) -> int:
        """Forget records before records_before; texts before texts_before or no longer kept."""
        ...
