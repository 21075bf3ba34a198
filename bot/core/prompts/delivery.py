"""Deliver one claimed post: publish it, then record what happened under the lease."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Final

from bot.core.messages import Platform
from bot.core.prompts.library import PromptLibrary
from bot.core.prompts.ports import (
    ChannelUnavailable,
    DeliveryFailed,
    NextLook,
    PostRecord,
    PostState,
    PromptAlerts,
    PromptChannel,
    PromptPost,
    PromptPostRepository,
    PromptPublisher,
    Published,
    RateLimited,
    ThreadNotCreated,
)
from bot.core.prompts.retries import JITTER, next_retry
from bot.core.prompts.schedule import next_post, post_moment

log = logging.getLogger(__name__)

LEASE: Final = timedelta(minutes=5)
# Shorter than the lease, so a live process never loses its lease while it is publishing.
PUBLISH_TIMEOUT: Final = 120.0  # seconds
ERROR_LENGTH: Final = 200  # the column's size


def move_after(channel: PromptChannel, day: date) -> NextLook:
    """Return the move to the posting day after day, once day is settled."""
    following = next_post(channel.schedule, post_moment(channel.schedule, day))
    next_day, at = following if following is not None else (None, None)
    return NextLook(channel.id, channel.revision, day, next_day, at)


class Deliverer:
    """Publish a claimed post and settle it: posted, retried later, failed or paused."""

    def __init__(
        self,
        posts: PromptPostRepository,
        publishers: Mapping[Platform, PromptPublisher],
        alerts: PromptAlerts,
        prompts: PromptLibrary,
        owner: str,
        rng: random.Random,
    ) -> None:
        self._posts = posts
        self._publishers = publishers
        self._alerts = alerts
        self._prompts = prompts
        self._owner = owner
        self._rng = rng

    async def deliver(
        self,
        channel: PromptChannel,
        post: PostRecord,
        move: NextLook,
        now: datetime,
        *,
        retry: bool = True,
    ) -> PostState | None:
        """Publish post (leased to us) and record the outcome; None when the lease was lost.

        retry False (a `post now` of a day the channel does not wait for) fails at once
        instead of scheduling a retry nobody would look at.
        """
        target = channel.target
        prompt = await self._prompts.get(target.platform, target.space_id, post.prompt_id)
        publisher = self._publishers.get(channel.target.platform)
        if prompt is None or publisher is None:
            missing = "its prompt is no longer known" if prompt is None else "no publisher"
            return await self.fail(channel, post, missing, move, now)
        try:
            async with asyncio.timeout(PUBLISH_TIMEOUT):
                published = await publisher.publish(channel.target, PromptPost(prompt, post.day))
        except ThreadNotCreated as error:
            problem = _short(f"answers thread not created: {error.reason}")
            if not await self._posts.posted(
                post, self._owner, Published(error.message_id), now, move, problem
            ):
                return None
            await self._alerts.post_problem(channel.target, post.day, problem)
            return PostState.POSTED
        except ChannelUnavailable as error:
            reason = _short(f"channel unavailable: {error.reason}")
            recorded, paused = await self._posts.fail(
                post, self._owner, reason, now, None, pause=reason
            )
            if paused:
                await self._alerts.channel_paused(channel.target, reason)
            return PostState.FAILED if recorded else None
        except RateLimited as error:
            return await self._again(
                channel, post, move, now, error.reason, error.retry_after, retry
            )
        except DeliveryFailed as error:
            return await self._again(channel, post, move, now, error.reason, 0.0, retry)
        except TimeoutError:
            return await self._again(channel, post, move, now, "timed out", 0.0, retry)
        except Exception as error:
            # A publisher's bug must not hold the day: treat it as a failure that may pass.
            log.exception("publishing prompt post %s failed unexpectedly", post.id)
            return await self._again(channel, post, move, now, type(error).__name__, 0.0, retry)
        if await self._posts.posted(post, self._owner, published, now, move):
            return PostState.POSTED
        log.warning(
            "prompt post %s was delivered after its lease passed to another process", post.id
        )
        return None

    async def fail(
        self,
        channel: PromptChannel,
        post: PostRecord,
        error: str,
        move: NextLook | None,
        now: datetime,
    ) -> PostState | None:
        """Record the post as failed, move the channel on and tell its moderators."""
        error = _short(error)
        recorded, _ = await self._posts.fail(post, self._owner, error, now, move)
        if not recorded:
            return None
        await self._alerts.post_problem(channel.target, post.day, error)
        return PostState.FAILED

    async def _again(
        self,
        channel: PromptChannel,
        post: PostRecord,
        move: NextLook,
        now: datetime,
        reason: str,
        retry_after: float,
        retry: bool,
    ) -> PostState | None:
        """Schedule the next try, or fail after the last one (or when the grace is over)."""
        deadline = post_moment(channel.schedule, post.day) + channel.schedule.grace
        at = None
        if retry:
            jitter = self._rng.uniform(*JITTER)
            at = next_retry(post.attempts, now, deadline, retry_after=retry_after, jitter=jitter)
        if at is None:
            tries = "1 try" if post.attempts == 1 else f"{post.attempts} tries"
            return await self.fail(
                channel, post, f"{_short(reason, 150)} (after {tries})", move, now
            )
        wait = NextLook(channel.id, channel.revision, post.day, post.day, at)
        if not await self._posts.retry(post, self._owner, at, _short(reason), wait):
            return None
        return PostState.CLAIMED


def _short(text: str, limit: int = ERROR_LENGTH) -> str:
    """Return text on one line, cut to limit characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
