"""Ports of the daily-prompts job: channels, posts, the publisher (its errors), threads, alerts."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol

from bot.core.messages import Platform
from bot.core.prompts.bank import Prompt
from bot.core.prompts.schedule import Schedule
from bot.core.prompts.selection import PromptFilter


@dataclass(frozen=True, slots=True)
class ChannelTarget:
    """Where a channel's prompts go."""

    platform: Platform
    space_id: str
    channel_id: str
    mention_role_id: str | None = None  # a role to mention with each post


@dataclass(frozen=True, slots=True)
class ChannelSettings:
    """What moderators choose for a channel; skip dates are kept apart (add_skip)."""

    target: ChannelTarget
    schedule: Schedule  # its skip_dates are ignored here
    wanted: PromptFilter = field(default_factory=PromptFilter)
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class PromptChannel:
    """A configured channel as stored: settings, rotation and the post it waits for."""

    id: int
    target: ChannelTarget
    schedule: Schedule  # with the channel's skip dates from a few days ago on
    wanted: PromptFilter
    enabled: bool
    paused_reason: str | None  # set when the channel became unreachable
    revision: int  # bumped by every settings change
    cycle: int  # the selection cycle of the last post
    last_prompt_id: str | None
    pending_day: date | None  # the local date of the post it waits for (None: never due)
    look_at: datetime | None  # when the tick looks at it next: that post's due time or retry


@dataclass(frozen=True, slots=True)
class NextLook:
    """Move a channel's pending post; applied only if nothing changed since it was read.

    The guard is the settings revision and the pending day the move was computed from, so a
    tick that read an older schedule never overwrites what a settings change wrote.
    """

    channel_id: int
    revision: int
    from_day: date
    day: date | None  # the new pending day (None: no more posts, e.g. no weekday allowed)
    at: datetime | None


class PostState(StrEnum):
    """Where one channel-day's post stands."""

    CLAIMED = "claimed"  # a process delivers it (lease) or will retry it (retry_at)
    POSTED = "posted"
    FAILED = "failed"  # after the last try, or the channel was unreachable
    MISSED = "missed"  # nobody tried within the grace window (the bot was down)


@dataclass(frozen=True, slots=True)
class PostRecord:
    """One channel's post for one local date, as stored."""

    id: int
    channel_id: int
    day: date
    prompt_id: str | None  # None when no prompt could be chosen (or the day was missed)
    cycle: int
    state: PostState
    attempts: int
    lease_owner: str | None = None
    lease_until: datetime | None = None
    retry_at: datetime | None = None
    last_error: str | None = None
    message_id: str | None = None
    thread_id: str | None = None


@dataclass(frozen=True, slots=True)
class PromptPost:
    """What a publisher posts: the prompt of a channel's local date."""

    prompt: Prompt
    day: date


@dataclass(frozen=True, slots=True)
class Published:
    """Where the post went: the platform's message id and its answers thread, if any."""

    message_id: str
    thread_id: str | None = None


class PublishError(Exception):
    """A publisher could not post; reason is short and holds no secret."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RateLimited(PublishError):
    """The platform asked to wait retry_after seconds."""

    def __init__(self, retry_after: float, reason: str = "rate limited") -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class ChannelUnavailable(PublishError):
    """The channel is gone or the bot may not post there: pause it, tell moderators once."""


class ThreadNotCreated(PublishError):
    """The message was posted, its answers thread was not: posted, with the failure kept."""

    def __init__(self, reason: str, message_id: str) -> None:
        super().__init__(reason)
        self.message_id = message_id


class DeliveryFailed(PublishError):
    """Any other failure that may pass (a timeout, a server error): try again later."""


class PromptPublisher(Protocol):
    """Posts a prompt to a channel of one platform."""

    async def publish(self, channel: ChannelTarget, post: PromptPost) -> Published:
        """Post it, or raise one of the PublishError kinds above."""
        ...


class PromptThreads(Protocol):
    """Tells adapters which threads take answers to a daily prompt."""

    async def is_prompt_thread(self, platform: Platform, thread_id: str) -> bool:
        """Say whether thread_id is the answers thread of a prompt posted on platform."""
        ...

    async def post_of(self, platform: Platform, thread_id: str) -> ThreadPost | None:
        """Return the channel and local date of the post that opened thread_id, if any."""
        ...


@dataclass(frozen=True, slots=True)
class ThreadPost:
    """Which post a thread answers: its channel (the platform's id) and local date."""

    channel_id: str
    day: date


class PromptAlerts(Protocol):
    """Tells a channel's moderators what went wrong with its prompts."""

    async def channel_paused(self, channel: ChannelTarget, reason: str) -> None:
        """Say once that the channel is paused because it cannot be reached."""
        ...

    async def post_problem(self, channel: ChannelTarget, day: date, problem: str) -> None:
        """Say that a day's post failed, or went out without its thread."""
        ...

    async def pool_low(self, channel: ChannelTarget, left: int) -> None:
        """Say (once per cycle) that only `left` prompts remain before the pool repeats."""
        ...


class PromptChannelRepository(Protocol):
    """Channels with a daily prompt, found by when they are due."""

    async def due(
        self,
        platforms: Collection[Platform],
        now: datetime,
        limit: int,
        after: tuple[datetime, int] | None = None,
    ) -> list[PromptChannel]:
        """Return up to limit channels of these platforms to look at by now, oldest first.

        after (a look_at and id) continues from the last channel of the previous page.
        """
        ...

    async def get(self, platform: Platform, channel_id: str) -> PromptChannel | None:
        """Return the channel as stored now, or None when it has no prompts configured."""
        ...

    async def in_space(self, platform: Platform, space_id: str) -> list[PromptChannel]:
        """Return every channel of a community with prompts configured (on or off)."""
        ...

    async def save(self, settings: ChannelSettings, now: datetime) -> PromptChannel:
        """Create or change a channel's settings (a new revision); it keeps its rotation."""
        ...

    async def add_skip(self, channel_id: int, day: date, now: datetime) -> PromptChannel:
        """Skip a local date (a new revision) and return the channel."""
        ...

    async def resume(self, channel_id: int, now: datetime) -> PromptChannel:
        """Switch it on, clear its pause and pause reason (a new revision); return it."""
        ...

    async def switch_off(self, channel_id: int, now: datetime) -> PromptChannel:
        """Stop the channel's prompts (a new revision); settings and history are kept."""
        ...

    async def pause_until(self, channel_id: int, day: date, now: datetime) -> PromptChannel:
        """Post nothing before the local date day (a new revision) and return the channel."""
        ...

    async def skip_prompt(self, channel_id: int, cycle: int, prompt_id: str, now: datetime) -> bool:
        """Mark a prompt used (`skipped`) in the cycle; False if it was used there already."""
        ...

    async def warn_low_pool(self, channel_id: int, cycle: int) -> bool:
        """Record that moderators heard of a low pool in cycle; True only the first time."""
        ...

    async def reschedule(
        self, channel_id: int, revision: int, pending: tuple[date, datetime] | None
    ) -> bool:
        """Set the pending post if the revision is still the stored one; say if it was."""
        ...

    async def look_again(self, move: NextLook) -> bool:
        """Apply move if its guard holds; say whether it did."""
        ...

    async def used(self, channel_id: int, cycle: int) -> frozenset[str]:
        """Return the prompt ids used (posted or skipped) in the channel's cycle."""
        ...


@dataclass(frozen=True, slots=True)
class PastPost:
    """A post as history shows it: where it went, and how it was settled."""

    channel_id: str  # the platform's channel id
    post: PostRecord


@dataclass(frozen=True, slots=True)
class PostSummary:
    """How a channel's posts went: the last settled one and how many failed lately."""

    last: PostRecord | None
    failed: int


class PromptPostRepository(Protocol):
    """Posts, one per channel and local date; the unique key decides who delivers it."""

    async def find(self, channel_id: int, day: date) -> PostRecord | None:
        """Return the day's post, or None when nobody claimed it."""
        ...

    async def history(self, platform: Platform, space_id: str, limit: int) -> list[PastPost]:
        """Return the community's latest posts (any state), newest day first."""
        ...

    async def summary(self, channel_id: int, since: date) -> PostSummary:
        """Return the channel's last settled post and its failures from since on."""
        ...

    async def claim(
        self,
        channel_id: int,
        day: date,
        prompt_id: str | None,
        cycle: int,
        owner: str,
        now: datetime,
        lease_until: datetime,
    ) -> PostRecord | None:
        """Insert the day's post, leased to owner; None when it existed (someone else's)."""
        ...

    async def retake(
        self,
        post_id: int,
        owner: str,
        now: datetime,
        lease_until: datetime,
        *,
        settled_too: bool = False,
        choice: tuple[str, int] | None = None,
    ) -> PostRecord | None:
        """Lease a claimed post whose lease ended and whose retry is due; None if taken.

        settled_too (`post now`) also takes a failed or missed one, at once; choice sets
        the prompt id and cycle of a post that has none.
        """
        ...

    async def posted(
        self,
        post: PostRecord,
        owner: str,
        published: Published,
        now: datetime,
        move: NextLook,
        problem: str | None = None,
    ) -> bool:
        """Mark it posted, record the prompt used and move the channel on, in one transaction.

        Only while owner holds the lease; False (and nothing written) otherwise.
        """
        ...

    async def retry(
        self, post: PostRecord, owner: str, retry_at: datetime, error: str, move: NextLook
    ) -> bool:
        """Release the lease and set the retry (the channel is looked at then)."""
        ...

    async def fail(
        self,
        post: PostRecord,
        owner: str,
        error: str,
        now: datetime,
        move: NextLook | None,
        pause: str | None = None,
    ) -> tuple[bool, bool]:
        """Mark it failed; move the channel on, or pause it with a reason.

        Return (recorded, newly paused): the second is True only the first time.
        """
        ...

    async def miss(
        self, channel_id: int, day: date, now: datetime, move: NextLook
    ) -> PostState | None:
        """Settle a day past its grace and move on; return the state this call settled it in.

        Missed when nobody tried, failed when a retry was pending; None (nothing written)
        while a live lease holds it, or when another process settled it meanwhile.
        """
        ...


@dataclass(frozen=True, slots=True)
class Answerer:
    """A member who answered a post, and whether they keep off the leaderboards."""

    user_id: str
    name: str
    hidden: bool


class PromptAnswerRepository(Protocol):
    """Answers to posts: one per member and post, one per platform message."""

    async def add(
        self, post_id: int, platform: Platform, user_id: str, source: str, text: str, now: datetime
    ) -> bool:
        """Store an answer; False (nothing stored) when the member or the message has one."""
        ...

    async def of_post(self, post_id: int) -> list[Answerer]:
        """Return who answered the post, first answer first."""
        ...
