"""Streaks on Slack end to end: check-ins, leaderboard, another member's streak, reminders."""

from __future__ import annotations

from tests.adapters.test_slack import Running, running
from tests.slack_fake.world import ADMIN_USER_ID, MEMBER_USER_ID

__all__ = ["running"]  # the fixture, shared with test_slack.py


def text_of(body: dict[str, object]) -> str:
    return str(body["blocks"])


async def test_leaderboard_ranks_members_who_checked_in(running: Running) -> None:
    await running.command("checkin 45 joins", user_id=MEMBER_USER_ID, count=1)
    await running.command("checkin 15", user_id=ADMIN_USER_ID, count=2)

    body = await running.command("leaderboard week minutes", count=3)

    assert body["response_type"] == "in_channel"
    blocks = text_of(body)
    assert blocks.index("1. alice (you): 45 min") < blocks.index("2. admin: 15 min")


async def test_streak_of_a_mentioned_member(running: Running) -> None:
    await running.command("checkin 30", user_id=MEMBER_USER_ID, count=1)
    # With should_escape, Slack sends a typed @mention as <@U…|name>.
    body = await running.command(f"streak <@{MEMBER_USER_ID}|alice>", ADMIN_USER_ID, count=2)
    assert "Their study streak" in text_of(body)
    assert "30 min" in text_of(body)


async def test_reminder_is_sent_as_a_dm_once(running: Running) -> None:
    assert running.bot is not None and running.adapter is not None
    await running.command("config streaks reminder-hour 0", user_id=ADMIN_USER_ID, count=1)
    await running.command("reminders on", user_id=MEMBER_USER_ID, count=2)

    assert await running.bot.timers["streak-reminders"].run() == 1
    assert await running.bot.timers["streak-reminders"].run() == 0

    opened = running.slack.calls_to("conversations.open")
    assert [c.args.get("users") for c in opened] == [MEMBER_USER_ID]
    dms = [m for m in running.slack.messages if m.channel.startswith("D")]
    assert len(dms) == 1 and "streak" in dms[0].text.lower()
