"""The posting engine: each channel's prompt of a local date goes out exactly once.

Nothing here remembers anything between calls: every decision is read from the tables, and
every write is guarded there (the unique key of a channel's day, the lease owner, the
settings revision), so two processes, a restart or a late timer never post a day twice.
"""

from __future__ import annotations

import logging
import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Final
from zoneinfo import ZoneInfo

from bot.core.knowledge import Stage
from bot.core.messages import Platform
from bot.core.prompts.bank import Prompt
from bot.core.prompts.delivery import LEASE, Deliverer, move_after
from bot.core.prompts.library import PromptLibrary, Rotation
from bot.core.prompts.ports import (
    NextLook,
    PostRecord,
    PostState,
    PromptAlerts,
    PromptChannel,
    PromptChannelRepository,
    PromptPostRepository,
    PromptPublisher,
)
from bot.core.prompts.schedule import next_post, pending_post, post_moment
from bot.core.prompts.selection import (
    LOW_POOL_DAYS,
    Choice,
    CycleState,
    NoMatch,
    choose_prompt,
    pool,
    remaining,
)

log = logging.getLogger(__name__)

PAGE: Final = 500  # due channels read per query


@dataclass(frozen=True, slots=True)
class PostNow:
    """What `post now` did for a channel's local date."""

    day: date | None
    state: PostState | None  # the day's post afterwards; None when nothing is stored
    prompt_id: str | None = None
    message_id: str | None = None
    problem: str | None = None  # why it is not posted, in words a moderator can act on
    already: bool = False  # posted before: nothing new went out


@dataclass(frozen=True, slots=True)
class Preview:
    """The channel's next post: its local date, when it is due (UTC) and the prompt."""

    day: date | None
    due: datetime | None
    prompt: Prompt | None
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class Skipped:
    """What `prompt skip` did: the prompt it replaced, and the next post now (None: refused)."""

    replaced: Preview
    next: Preview | None
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class PoolLeft:
    """How many prompts of a channel's pool are left in its cycle, of how many."""

    left: int
    size: int

    @property
    def low(self) -> bool:
        """Say whether the pool repeats within LOW_POOL_DAYS posts."""
        return self.left <= LOW_POOL_DAYS


class PromptPoster:
    """Post due prompts on the timer's tick, at start-up, on request; preview the next one."""

    def __init__(
        self,
        channels: PromptChannelRepository,
        posts: PromptPostRepository,
        prompts: PromptLibrary,
        stages: Sequence[Stage],
        publishers: Mapping[Platform, PromptPublisher],
        alerts: PromptAlerts,
        *,
        owner: str | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self._channels = channels
        self._posts = posts
        self._prompts = prompts  # the bank, and each community's own prompts from the tables
        self._stages = tuple(stages)
        self._publishers = publishers  # the platforms this process posts to
        self._alerts = alerts
        # A random token per poster: the lease owner its guarded writes name.
        self.owner = owner or secrets.token_hex(8)
        rng = rng or random.Random()  # noqa: S311 - jitter, not a secret
        self._deliverer = Deliverer(posts, publishers, alerts, prompts, self.owner, rng)

    async def tick(self, now: datetime) -> int:
        """Post every prompt (or retry) due by now, settle days past their grace; count posts."""
        if not self._publishers:
            return 0
        posted = 0
        after: tuple[datetime, int] | None = None
        while True:
            page = await self._channels.due(list(self._publishers), now, PAGE, after)
            for channel in page:
                try:
                    posted += await self._look_at(channel, now) is PostState.POSTED
                except Exception:
                    # One channel's failure (a database hiccup) must not stop the others.
                    log.exception("daily prompt of channel %s failed", channel.id)
            if len(page) < PAGE:
                return posted
            last = page[-1]
            # due() returns only channels with a look_at; the next page starts after this one.
            after = (last.look_at or now, last.id)

    async def catch_up(self, now: datetime) -> int:
        """At start-up: post what fell due while down (within grace), settle the rest."""
        return await self.tick(now)

    async def post_now(self, platform: Platform, channel_id: str, now: datetime) -> PostNow:
        """Post the channel's prompt of today (its local date) unless it is posted already."""
        channel = await self._channels.get(platform, channel_id)
        if channel is None:
            return PostNow(None, None, problem="no daily prompts are set up in this channel")
        if channel.paused_reason is not None:
            return PostNow(None, None, problem=f"prompts are paused: {channel.paused_reason}")
        if platform not in self._publishers:
            return PostNow(None, None, problem=f"this bot process does not post on {platform}")
        today = now.astimezone(ZoneInfo(channel.schedule.timezone)).date()
        post = await self._posts.find(channel.id, today)
        if post is not None and post.state is PostState.POSTED:
            return _outcome(today, post, already=True)
        if post is None:
            choice = await self._choose(channel)
            if isinstance(choice, NoMatch):
                return PostNow(today, None, problem=choice.reason)
            leased = await self._claim(channel.id, today, choice, now)
        else:
            # A missed day has no prompt yet: say why when none can be chosen.
            known = await self._prompt_of(channel, post.prompt_id)
            chosen = None if known is not None else await self._choose(channel)
            if isinstance(chosen, NoMatch):
                return PostNow(today, post.state, problem=chosen.reason)
            leased = await self._retake(channel, post, now, settled_too=True)
        if leased is None:
            current = await self._posts.find(channel.id, today)
            return _outcome(today, current, problem="it is being posted right now")
        move = move_after(channel, today)
        state = await self._deliverer.deliver(
            channel, leased, move, now, retry=channel.pending_day == today
        )
        await self._after(channel, leased, state)
        return _outcome(today, await self._posts.find(channel.id, today))

    async def preview(self, platform: Platform, channel_id: str, now: datetime) -> Preview:
        """Return the channel's next post: exactly what the tick will post, if nothing changes."""
        channel = await self._channels.get(platform, channel_id)
        if channel is None:
            return Preview(None, None, None, "no daily prompts are set up in this channel")
        if channel.paused_reason is not None:
            return Preview(None, None, None, f"prompts are paused: {channel.paused_reason}")
        day = channel.pending_day
        if day is None or not channel.enabled:
            return Preview(None, None, None, "no post is scheduled")
        post = await self._posts.find(channel.id, day)
        if post is not None and post.state is PostState.CLAIMED:
            prompt = await self._prompt_of(channel, post.prompt_id)
            return Preview(day, post_moment(channel.schedule, day), prompt)
        if post is not None:  # settled a moment ago; the channel moves on at the next look
            following = next_post(channel.schedule, post_moment(channel.schedule, day))
            if following is None:
                return Preview(None, None, None, "no post is scheduled")
            day = following[0]
        choice = await self._choose(channel)
        due = post_moment(channel.schedule, day)
        if isinstance(choice, NoMatch):
            return Preview(day, due, None, choice.reason)
        return Preview(day, due, choice.prompt)

    async def skip_next(self, platform: Platform, channel_id: str, now: datetime) -> Skipped:
        """Replace the channel's next prompt: mark the one preview shows as skipped this cycle.

        A day already posted is never touched (preview has moved past it), nor one being
        posted or retried (its prompt is claimed).
        """
        shown = await self.preview(platform, channel_id, now)
        if shown.prompt is None or shown.day is None:
            return Skipped(shown, None, shown.problem or "no post is scheduled")
        channel = await self._channels.get(platform, channel_id)
        if channel is None:  # removed meanwhile
            return Skipped(shown, None, "no daily prompts are set up in this channel")
        post = await self._posts.find(channel.id, shown.day)
        if post is not None and post.state is PostState.CLAIMED:
            return Skipped(shown, None, "that prompt is being posted; skip the one after it later")
        choice = await self._choose(channel)
        if isinstance(choice, NoMatch) or choice.prompt.id != shown.prompt.id:
            return Skipped(shown, None, "the next prompt changed meanwhile; look again")
        if not await self._channels.skip_prompt(channel.id, choice.cycle, choice.prompt.id, now):
            return Skipped(shown, None, "that prompt was skipped already")
        return Skipped(shown, await self.preview(platform, channel_id, now))

    async def pool_left(self, channel: PromptChannel) -> PoolLeft:
        """Return how many prompts of the channel's pool its current cycle has not used."""
        rotation = await self._rotation(channel)
        matching = pool(rotation.prompts, channel.wanted, rotation.retired)
        used = await self._channels.used(channel.id, channel.cycle)
        return PoolLeft(remaining(matching, used), len(matching))

    async def _after(
        self, channel: PromptChannel, post: PostRecord, state: PostState | None
    ) -> None:
        """Once a post went out, tell moderators (once per cycle) when the pool runs low."""
        if state is not PostState.POSTED:
            return
        try:
            used = await self._channels.used(channel.id, post.cycle)
            rotation = await self._rotation(channel)
            left = remaining(pool(rotation.prompts, channel.wanted, rotation.retired), used)
            if left <= LOW_POOL_DAYS and await self._channels.warn_low_pool(channel.id, post.cycle):
                await self._alerts.pool_low(channel.target, left)
        except Exception:
            # The post is out and recorded; a failed warning must not read as a failed post.
            log.exception("low-pool check of channel %s failed", channel.id)

    async def _look_at(self, channel: PromptChannel, now: datetime) -> PostState | None:
        """Settle or deliver the channel's pending day, or say when to look again."""
        day, schedule = channel.pending_day, channel.schedule
        if day is None:
            return None
        post = await self._posts.find(channel.id, day)
        if post is not None and post.state is not PostState.CLAIMED:
            await self._channels.look_again(move_after(channel, day))  # settled: move on
            return None
        due = post_moment(schedule, day)
        if now < due:  # looked at early (a retry of a post not due yet): wait for it
            await self._channels.look_again(NextLook(channel.id, channel.revision, day, day, due))
            return None
        if now > due + schedule.grace:
            return await self._settle_late(channel, day, now)
        if post is None:
            choice = await self._choose(channel)
            if isinstance(choice, NoMatch):
                failed = await self._posts.claim(
                    channel.id, day, None, channel.cycle, self.owner, now, now + LEASE
                )
                if failed is None:
                    return None
                reason = f"no prompt to post: {choice.reason}"
                return await self._deliverer.fail(
                    channel, failed, reason, move_after(channel, day), now
                )
            leased = await self._claim(channel.id, day, choice, now)
        else:
            busy_until = _busy_until(post, now)
            if busy_until is not None:  # being delivered, or a retry later: look again then
                wait = NextLook(channel.id, channel.revision, day, day, busy_until)
                await self._channels.look_again(wait)
                return None
            leased = await self._retake(channel, post, now)
        if leased is None:
            return None  # another process claimed the day (or took the retry) first
        state = await self._deliverer.deliver(channel, leased, move_after(channel, day), now)
        await self._after(channel, leased, state)
        return state

    async def _settle_late(
        self, channel: PromptChannel, day: date, now: datetime
    ) -> PostState | None:
        """Record a day past its grace as missed (or failed), then go to the post due now."""
        pending = pending_post(channel.schedule, now)
        next_day, at = pending if pending is not None else (None, None)
        move = NextLook(channel.id, channel.revision, day, next_day, at)
        settled = await self._posts.miss(channel.id, day, now, move)
        if settled is None:
            return None  # a live lease still holds it (its owner settles it), or it is settled
        if settled is PostState.FAILED:
            await self._alerts.post_problem(
                channel.target, day, "not posted: retries ran out of time"
            )
        if next_day is not None and at is not None and at <= now:
            # Down for days: a later day is due and within its grace, so it goes out now.
            return await self._look_at(replace(channel, pending_day=next_day, look_at=at), now)
        return None

    async def _choose(self, channel: PromptChannel) -> Choice | NoMatch:
        used = await self._channels.used(channel.id, channel.cycle)
        state = CycleState(channel.cycle, used, channel.last_prompt_id)
        target = channel.target
        rotation = await self._rotation(channel)
        return choose_prompt(
            rotation.prompts,
            channel.wanted,
            state,
            channel=f"{target.platform.value}:{target.channel_id}",
            stages=self._stages,
            retired=rotation.retired,
        )

    async def _rotation(self, channel: PromptChannel) -> Rotation:
        """Return the channel's community pool, read now (a retire a moment ago counts)."""
        return await self._prompts.rotation(channel.target.platform, channel.target.space_id)

    async def _prompt_of(self, channel: PromptChannel, prompt_id: str | None) -> Prompt | None:
        return await self._prompts.get(channel.target.platform, channel.target.space_id, prompt_id)

    async def _claim(
        self, channel_id: int, day: date, choice: Choice, now: datetime
    ) -> PostRecord | None:
        return await self._posts.claim(
            channel_id, day, choice.prompt.id, choice.cycle, self.owner, now, now + LEASE
        )

    async def _retake(
        self, channel: PromptChannel, post: PostRecord, now: datetime, *, settled_too: bool = False
    ) -> PostRecord | None:
        choice: tuple[str, int] | None = None
        if await self._prompt_of(channel, post.prompt_id) is None:
            chosen = await self._choose(channel)
            if isinstance(chosen, NoMatch):
                return None
            choice = (chosen.prompt.id, chosen.cycle)
        return await self._posts.retake(
            post.id, self.owner, now, now + LEASE, settled_too=settled_too, choice=choice
        )


def _busy_until(post: PostRecord, now: datetime) -> datetime | None:
    """Return until when a claimed post is not ours to take: a live lease, a later retry."""
    waits = []
    if post.lease_until is not None and post.lease_until >= now:
        waits.append(post.lease_until)
    if post.retry_at is not None and post.retry_at > now:
        waits.append(post.retry_at)
    return max(waits, default=None)


def _outcome(
    day: date, post: PostRecord | None, *, already: bool = False, problem: str | None = None
) -> PostNow:
    if post is None:
        return PostNow(day, None, problem=problem)
    if post.state is not PostState.POSTED and problem is None:
        problem = post.last_error or "not posted"
    return PostNow(day, post.state, post.prompt_id, post.message_id, problem, already)
