"""A channel's prompt settings: every change sets its pending post again, at once."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from bot.core.messages import Platform
from bot.core.prompts.ports import (
    ChannelSettings,
    PostState,
    PromptChannel,
    PromptChannelRepository,
    PromptPostRepository,
)
from bot.core.prompts.schedule import next_post, pending_post


class PromptChannelService:
    """Set up, skip days of, pause, stop and resume a channel's daily prompts."""

    def __init__(self, channels: PromptChannelRepository, posts: PromptPostRepository) -> None:
        self._channels = channels
        self._posts = posts

    async def configure(self, settings: ChannelSettings, now: datetime) -> PromptChannel:
        """Create or change a channel's schedule and filters; the next post follows them."""
        return await self._reschedule(await self._channels.save(settings, now), now)

    async def skip_day(
        self, platform: Platform, channel_id: str, day: date, now: datetime
    ) -> PromptChannel | None:
        """Post nothing in the channel on its local date day; None if it has no prompts."""
        channel = await self._channels.get(platform, channel_id)
        if channel is None:
            return None
        return await self.skip_date(channel, day, now)

    async def skip_date(self, channel: PromptChannel, day: date, now: datetime) -> PromptChannel:
        """Post nothing in channel on its local date day (a holiday)."""
        return await self._reschedule(await self._channels.add_skip(channel.id, day, now), now)

    async def switch_off(self, channel: PromptChannel, now: datetime) -> PromptChannel:
        """Stop the channel's prompts: nothing is pending until it is resumed."""
        return await self._reschedule(await self._channels.switch_off(channel.id, now), now)

    async def pause_until(self, channel: PromptChannel, day: date, now: datetime) -> PromptChannel:
        """Post nothing before the local date day; the pending post moves to it or later."""
        return await self._reschedule(await self._channels.pause_until(channel.id, day, now), now)

    async def resume_channel(self, channel: PromptChannel, now: datetime) -> PromptChannel:
        """Post again: switched on, unpaused, and reachable as far as we know."""
        return await self._reschedule(await self._channels.resume(channel.id, now), now)

    async def resume(
        self, platform: Platform, channel_id: str, now: datetime
    ) -> PromptChannel | None:
        """Post again in a channel paused because it was unreachable; None if it has none."""
        channel = await self._channels.get(platform, channel_id)
        if channel is None:
            return None
        return await self.resume_channel(channel, now)

    async def _reschedule(self, channel: PromptChannel, now: datetime) -> PromptChannel:
        """Set the pending post from the settings just saved (a later change wins)."""
        pending = None
        if channel.enabled and channel.paused_reason is None:
            pending = pending_post(channel.schedule, now)
            if pending is not None:
                # A day already settled (posted before an edit of the time) is not reposted.
                post = await self._posts.find(channel.id, pending[0])
                if post is not None and post.state is not PostState.CLAIMED:
                    pending = next_post(channel.schedule, pending[1])
        await self._channels.reschedule(channel.id, channel.revision, pending)
        day, at = pending if pending is not None else (None, None)
        return replace(channel, pending_day=day, look_at=at)
