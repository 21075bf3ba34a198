"""Streaks on Discord end to end: check-ins, leaderboard, another member's streak, reminders."""

from __future__ import annotations

from typing import Any

from tests.adapters.test_discord import Running, running

__all__ = ["running"]  # the fixture, shared with test_discord.py

MANAGE_SERVER = 1 << 5


async def answer(running: Running, name: str, **kwargs: Any) -> dict[str, Any]:
    sent = await running.fake.send_interaction(name, **kwargs)
    return (await running.fake.wait_for_interaction_response(sent)).json


async def test_leaderboard_ranks_members_who_checked_in(running: Running) -> None:
    fake = running.fake
    await answer(running, "checkin", options={"minutes": "45", "note": "joins"})
    await answer(running, "checkin", options={"minutes": "15"}, user=fake.moderator_user)

    body = await answer(running, "leaderboard", options={"metric": "minutes"})

    embed = body["data"]["embeds"][0]
    lines = embed["description"].casefold().splitlines()
    alice, mod = fake.member_user["username"].casefold(), fake.moderator_user["username"].casefold()
    assert lines[0].startswith("1. ") and alice in lines[0] and "45 min" in lines[0]
    assert lines[1].startswith("2. ") and mod in lines[1] and "15 min" in lines[1]
    assert not body["data"].get("flags", 0) & 64  # a leaderboard is for the channel
    assert body["data"]["allowed_mentions"] == {"parse": []}


async def test_streak_of_another_member_picked_with_the_user_option(running: Running) -> None:
    fake = running.fake
    await answer(running, "checkin", options={"minutes": "30"})
    sent = await fake.send_interaction(
        "streak", options={"member": fake.member_user}, user=fake.moderator_user
    )
    response = await fake.wait_for_interaction_response(sent)
    embed = response.json["data"]["embeds"][0]
    assert embed["title"] == "Their study streak"
    assert [f.filename for f in response.files] == ["streak.png"]


async def test_privacy_off_keeps_a_member_off_the_board(running: Running) -> None:
    await answer(running, "checkin", options={"minutes": "30"})
    await answer(running, "privacy", options={"setting": "leaderboard", "value": "off"})
    body = await answer(running, "leaderboard", user=running.fake.moderator_user)
    assert "Nobody is on this board yet" in body["data"]["embeds"][0]["description"]


async def test_reminder_is_sent_as_a_dm_once(running: Running) -> None:
    fake = running.fake
    config = await answer(
        running, "config", subcommand="streaks",
        options={"setting": "reminder-hour", "value": "0"},
        user=fake.moderator_user, permissions=MANAGE_SERVER,
    )  # fmt: skip
    assert "error" not in str(config["data"]["embeds"][0].get("title", "")).lower()
    await answer(running, "reminders", options={"switch": "on"})

    assert await running.bot.timers["streak-reminders"].run() == 1
    assert await running.bot.timers["streak-reminders"].run() == 0

    opened = fake.requests_matching("POST", r"/users/@me/channels")
    assert [str(r.json["recipient_id"]) for r in opened] == [str(fake.member_user["id"])]
    dm = [m for m in fake.messages if m.get("channel_id") != str(fake.channel_id)]
    assert len(dm) == 1 and "streak" in str(dm[0]["embeds"]).lower()
