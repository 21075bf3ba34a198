"""On-demand mentoring's records (requests, offers, pairings) and the port that stores them.

Everything that must happen once is decided by the store: one open request per learner and
topic (a unique index), one pending offer per request (a conditional update and a unique
index), an answer to an offer or a follow-up taken once, and each timer's work claimed
(UPDATE ... WHERE state = ... RETURNING) before anyone is told.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Final, Protocol

from bot.core.mentoring.availability import Availability, parse_availability
from bot.core.messages import Platform

DEFAULT_OFFER_DEADLINE: Final = timedelta(hours=48)
DEFAULT_FOLLOWUP: Final = timedelta(days=7)
# A pairing whose follow-up nobody answered ends this long after it was asked, freeing the
# mentor's place; a pairing both answered ends at once.
FOLLOWUP_GRACE: Final = timedelta(days=3)
REMIND_AFTER: Final = timedelta(days=1)  # moderators hear of requests waiting this long


class RequestState(StrEnum):
    """Where a request is: waiting in the queue, offered, matched, or closed."""

    WAITING = "waiting"
    OFFERED = "offered"
    MATCHED = "matched"
    DONE = "done"
    CANCELLED = "cancelled"


OPEN_STATES: Final = (RequestState.WAITING, RequestState.OFFERED, RequestState.MATCHED)


class OfferState(StrEnum):
    """An offer's answer: none yet, accepted, declined, let expire, or taken back."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class NewRequest:
    """What a learner asks for; the store gives it an id."""

    platform: Platform
    space_id: str
    learner_id: str
    learner_name: str
    channel_id: str  # where it was asked: moderators' reminders name it
    topic: str
    context: str
    hours: str  # weekly hours as written, read in timezone
    timezone: str
    stage: int  # the topic's stage index on the canonical path
    requested_at: datetime


@dataclass(frozen=True, slots=True)
class MentorRequest:
    """A stored request; requested_at is its place in the queue, kept when handed back."""

    id: int
    platform: Platform
    space_id: str
    learner_id: str
    learner_name: str
    channel_id: str
    topic: str
    context: str
    hours: str
    timezone: str
    stage: int
    state: RequestState
    requested_at: datetime
    matched_at: datetime | None = None

    def availability(self) -> Availability:
        """Return the learner's weekly hours in their timezone."""
        return parse_availability(self.hours, self.timezone)


@dataclass(frozen=True, slots=True)
class Offer:
    """A request offered to one mentor until a deadline."""

    id: int
    request_id: int
    mentor_id: str
    state: OfferState
    offered_at: datetime
    deadline: datetime


@dataclass(frozen=True, slots=True)
class Pairing:
    """A mentor and a learner matched on a request; active until it ends."""

    id: int
    request_id: int
    platform: Platform
    space_id: str
    mentor_id: str
    learner_id: str
    active: bool
    started_at: datetime
    followup_at: datetime
    met: bool = False

    def members(self) -> tuple[str, str]:
        """Return the mentor's and the learner's ids."""
        return self.mentor_id, self.learner_id


class Answer(StrEnum):
    """How an answer to an offer or a follow-up was taken."""

    TAKEN = "taken"
    UNKNOWN = "unknown"  # no such id in this community
    NOT_YOURS = "not_yours"
    ALREADY = "already"  # answered before (or no longer pending)
    TOO_LATE = "too_late"  # the deadline passed


@dataclass(frozen=True, slots=True)
class OfferAnswer:
    """What answering an offer did: the outcome, and the offer, request and pairing."""

    outcome: Answer
    offer: Offer | None = None
    request: MentorRequest | None = None
    pairing: Pairing | None = None


@dataclass(frozen=True, slots=True)
class FollowupAnswer:
    """What answering "did you meet?" did."""

    outcome: Answer
    pairing: Pairing | None = None
    first_meeting: bool = False  # this answer recorded the pairing's meeting
    ended: bool = False  # both have answered: the pairing ended


@dataclass(frozen=True, slots=True)
class MentoringSettings:
    """A community's offer deadline and follow-up delay (`config mentoring`)."""

    deadline: timedelta = DEFAULT_OFFER_DEADLINE
    followup: timedelta = DEFAULT_FOLLOWUP


@dataclass(frozen=True, slots=True)
class MentoringStats:
    """Counts only, for moderators: nothing names a member."""

    requests: int
    matched: int
    median_to_match: timedelta | None
    offers_answered: int
    offers_accepted: int
    offers_expired: int
    meetings: int
    waiting: int


class MentorRequestStore(Protocol):
    """Stores requests, offers and pairings; decides what must happen once."""

    async def add(self, new: NewRequest) -> MentorRequest | None:
        """Store a waiting request; None when the learner has one open on that topic."""
        ...

    async def get(self, request_id: int) -> MentorRequest | None:
        """Return one request."""
        ...

    async def open_of(
        self, platform: Platform, space_id: str, learner_id: str
    ) -> list[MentorRequest]:
        """Return the learner's open requests in a community, oldest first."""
        ...

    async def waiting(self, platform: Platform, space_id: str) -> list[MentorRequest]:
        """Return the community's queue: waiting requests, oldest first."""
        ...

    async def place(self, request: MentorRequest) -> int:
        """Return the request's place in its community's queue (1 = next)."""
        ...

    async def spaces_waiting(self) -> list[tuple[Platform, str]]:
        """Return the communities with a waiting request."""
        ...

    async def cancel(
        self, request_id: int, now: datetime
    ) -> tuple[MentorRequest, Offer | None] | None:
        """Close an unmatched request and withdraw its pending offer; None when not open."""
        ...

    async def excluded(self, request_ids: Collection[int]) -> dict[int, set[str]]:
        """Return, per request, the mentors who declined or let expire an offer of it."""
        ...

    async def load(self, platform: Platform, space_id: str) -> dict[str, int]:
        """Return each mentor's places taken: active pairings and pending offers."""
        ...

    async def offer(
        self, request_id: int, mentor_id: str, now: datetime, deadline: datetime
    ) -> Offer | None:
        """Claim a waiting request for an offer to mentor; None when it is not waiting."""
        ...

    async def find_offer(self, offer_id: int) -> tuple[Offer, MentorRequest] | None:
        """Return an offer and its request."""
        ...

    async def answer_offer(
        self, offer_id: int, mentor_id: str, accept: bool, now: datetime, followup_at: datetime
    ) -> OfferAnswer:
        """Accept (a pairing starts) or decline (the request waits again) a pending offer."""
        ...

    async def expire_due(self, now: datetime) -> list[tuple[Offer, MentorRequest]]:
        """Claim the pending offers past their deadline; their requests wait again."""
        ...

    async def release(
        self, platform: Platform, space_id: str, mentor_id: str, *, active_too: bool, now: datetime
    ) -> list[MentorRequest]:
        """Withdraw the mentor's pending offers (and active pairings); return the requests."""
        ...

    async def pairing_of(self, request_id: int) -> Pairing | None:
        """Return the active pairing of a matched request."""
        ...

    async def due_followups(self, now: datetime) -> list[Pairing]:
        """Claim the active pairings whose follow-up is due and not yet asked."""
        ...

    async def answer_followup(
        self,
        pairing_id: int,
        platform: Platform,
        space_id: str,
        member_id: str,
        met: bool,
        now: datetime,
    ) -> FollowupAnswer:
        """Record one member's answer (once); a "yes" records the meeting once."""
        ...

    async def end_unanswered(self, now: datetime, grace: timedelta) -> list[Pairing]:
        """End active pairings asked longer than grace ago; their places are free again."""
        ...

    async def remind_due(self, now: datetime, today: date) -> list[MentorRequest]:
        """Claim today's reminder for each request unmatched for longer than REMIND_AFTER."""
        ...

    async def stats(self, platform: Platform, space_id: str) -> MentoringStats:
        """Return the community's counts."""
        ...

    async def settings(self, platform: Platform, space_id: str) -> MentoringSettings:
        """Return the community's mentoring settings (defaults when never set)."""
        ...

    async def configure(
        self,
        platform: Platform,
        space_id: str,
        deadline: timedelta | None,
        followup: timedelta | None,
    ) -> MentoringSettings:
        """Change the settings given (None keeps one) and return them."""
        ...
