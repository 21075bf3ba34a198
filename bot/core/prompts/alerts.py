"""Moderator notices about daily prompts, through the platforms' Reach (and always the log)."""

from __future__ import annotations

import logging
from datetime import date

from bot.core.messages import Reply
from bot.core.ports import Reach
from bot.core.prompts.ports import ChannelTarget

log = logging.getLogger(__name__)

TITLE = "Daily prompts need attention"


class ModeratorAlerts:
    """The PromptAlerts port: a day's problem goes to the channel, a pause to moderators.

    A post that failed or went out without its thread is said in the channel itself (members
    see why, and where to answer); when that cannot be sent, and always when the channel is
    paused as unreachable, the space's moderators are told privately (Discord: the server
    owner; Slack: the moderator user group). The engine calls each notice once.
    """

    def __init__(self, reach: Reach) -> None:
        self._reach = reach

    async def channel_paused(self, channel: ChannelTarget, reason: str) -> None:
        """Tell the moderators that the channel's prompts are paused, and how to resume."""
        log.warning("daily prompts paused in %s channel %s: %s",
                    channel.platform, channel.channel_id, reason)  # fmt: skip
        text = (
            f"Daily prompts in this channel are paused: {reason}.\n"
            "Fix that, then run `prompt resume` in the channel."
        )
        await self.tell_moderators(channel, Reply(text=text, title=TITLE))

    async def post_problem(self, channel: ChannelTarget, day: date, problem: str) -> None:
        """Say in the channel what went wrong with a day's post; else tell the moderators."""
        log.warning("daily prompt of %s in %s channel %s: %s",
                    day, channel.platform, channel.channel_id, problem)  # fmt: skip
        text = f"The daily prompt of {day.isoformat()}: {problem}."
        if "thread not created" in problem:  # the post is there: its answers go elsewhere
            text += "\nAnswer with `prompt answer` meanwhile."
        reply = Reply(text=text, title=TITLE)
        notifier = self._reach.notifiers.get(channel.platform)
        if notifier is not None:
            try:
                await notifier.post(channel.space_id, channel.channel_id, reply)
                return
            except Exception:  # a notice must never break the posting engine
                log.warning("cannot post the notice in %s channel %s", channel.platform,
                            channel.channel_id, exc_info=True)  # fmt: skip
        await self.tell_moderators(channel, reply)

    async def pool_low(self, channel: ChannelTarget, left: int) -> None:
        """Tell the moderators, before it happens, that the channel's prompts repeat soon."""
        log.warning("daily prompts in %s channel %s: %d prompt(s) left before they repeat",
                    channel.platform, channel.channel_id, left)  # fmt: skip
        text = (
            f"Only {left} daily prompt(s) are left in this channel before they start to repeat. "
            "Widen its difficulty or topics with `config prompts`, or add prompts of your own."
        )
        await self.tell_moderators(channel, Reply(text=text, title=TITLE))

    async def tell_moderators(self, channel: ChannelTarget, reply: Reply) -> None:
        """Tell the space's moderators privately (a suggestion to decide, a problem to fix)."""
        moderators = self._reach.moderators.get(channel.platform)
        told = False
        if moderators is not None:
            try:
                told = await moderators.tell_moderators(channel.space_id, channel.channel_id, reply)
            except Exception:
                log.warning("cannot tell the moderators of %s space %s", channel.platform,
                            channel.space_id, exc_info=True)  # fmt: skip
        if not told:
            log.warning("no moderator of %s space %s could be told; the log line above is all",
                        channel.platform, channel.space_id)  # fmt: skip
