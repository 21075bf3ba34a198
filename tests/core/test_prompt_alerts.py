"""Moderator notices: a day's problem in the channel, a pause (or an unsendable notice) by DM."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

import pytest

from bot.core.messages import Platform, Reply
from bot.core.ports import MemberKey, Reach
from bot.core.prompts.alerts import ModeratorAlerts
from bot.core.prompts.ports import ChannelTarget

CHANNEL = ChannelTarget(Platform.DISCORD, "g1", "c1")
DAY = date(2025, 6, 2)


@dataclass
class Sent:
    """A notifier and moderator notifier that records, or fails when told to."""

    posts: list[tuple[str, str, Reply]] = field(default_factory=list)
    told: list[tuple[str, str, Reply]] = field(default_factory=list)
    posting_fails: bool = False
    telling_fails: bool = False

    async def post(self, space_id: str, channel_id: str, reply: Reply) -> None:
        if self.posting_fails:
            raise OSError("network down")
        self.posts.append((space_id, channel_id, reply))

    async def direct(self, key: MemberKey, reply: Reply, *, space_id: str | None = None) -> None:
        raise AssertionError("alerts never DM a member directly")

    async def tell_moderators(self, space_id: str, channel_id: str, reply: Reply) -> bool:
        if self.telling_fails:
            raise OSError("network down")
        self.told.append((space_id, channel_id, reply))
        return True


def alerts(sent: Sent) -> ModeratorAlerts:
    return ModeratorAlerts(Reach({Platform.DISCORD: sent}, moderators={Platform.DISCORD: sent}))


async def test_a_paused_channel_is_told_to_the_moderators_with_how_to_resume() -> None:
    sent = Sent()
    await alerts(sent).channel_paused(CHANNEL, "channel unavailable: Missing Access")
    ((space, channel, reply),) = sent.told
    assert (space, channel) == ("g1", "c1") and sent.posts == []
    assert "Missing Access" in reply.text and "prompt resume" in reply.text


async def test_a_low_pool_is_told_to_the_moderators_privately_before_it_runs_out() -> None:
    sent = Sent()
    await alerts(sent).pool_low(CHANNEL, 5)
    ((space, channel, reply),) = sent.told
    assert (space, channel) == ("g1", "c1") and sent.posts == []  # not in front of members
    assert "5" in reply.text and "config prompts" in reply.text


async def test_a_missing_thread_is_said_in_the_channel() -> None:
    sent = Sent()
    await alerts(sent).post_problem(CHANNEL, DAY, "answers thread not created: no permission")
    ((_, channel, reply),) = sent.posts
    assert channel == "c1" and "2025-06-02" in reply.text and "prompt answer" in reply.text
    assert sent.told == []


async def test_a_notice_the_channel_refuses_goes_to_the_moderators() -> None:
    sent = Sent(posting_fails=True)
    await alerts(sent).post_problem(CHANNEL, DAY, "not posted: timed out (after 5 tries)")
    ((_, _, reply),) = sent.told
    assert "timed out" in reply.text


async def test_a_notice_nobody_can_receive_is_logged_and_never_raised(
    caplog: pytest.LogCaptureFixture,
) -> None:
    sent = Sent(posting_fails=True, telling_fails=True)
    with caplog.at_level(logging.WARNING):
        await alerts(sent).post_problem(CHANNEL, DAY, "not posted")
        await ModeratorAlerts(Reach()).channel_paused(CHANNEL, "gone")  # no platform at all
    assert "no moderator of discord space g1 could be told" in caplog.text
