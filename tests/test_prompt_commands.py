"""The daily-prompt commands in the composed bot, on SQLite and PostgreSQL, through the router."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import func, select

from bot.adapters.console import CONSOLE_REFERENCES
from bot.answering import build_answerer, content_dir
from bot.app import BotContext, open_bot
from bot.config import Settings, load_settings
from bot.core.clock import FixedClock
from bot.core.messages import Actor, Incoming, Platform, Reply
from bot.core.prompts.bank import Prompt
from bot.core.prompts.selection import PromptFilter, pool
from bot.storage.db import create_sessionmaker
from bot.storage.prompts.bank import load_prompts
from bot.storage.tables import (
    LearningEventRow,
    PromptAnswerRow,
    PromptChannelRow,
    PromptPostRow,
    PromptUseRow,
)
from tests.storage.prompt_kit import ScriptedPublisher

DUE = datetime(2025, 6, 2, 7, 0, tzinfo=UTC)  # a Monday, 09:00 in Berlin
SETUP = "config prompts channel:#study time:09:00 timezone:Europe/Berlin"


@pytest.fixture
def settings(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.chdir(tmp_path)
    return load_settings(database_url=database_url, data_dir=tmp_path / "data")


@dataclass
class Community:
    """One console community with a moderator, members, a clock and a scripted publisher."""

    bot: BotContext
    clock: FixedClock
    publisher: ScriptedPublisher

    async def say(
        self,
        text: str,
        *,
        user: str = "mod",
        moderator: bool = True,
        channel: str = "study",
        event: str | None = None,
    ) -> Reply:
        actor = Actor(Platform.CONSOLE, "local", channel, user, user, is_moderator=moderator)
        reply = await self.bot.dispatcher.handle(
            Incoming(actor, text, event, references=CONSOLE_REFERENCES)
        )
        assert reply is not None, text
        return reply

    async def ok(self, text: str, **who: Any) -> Reply:
        reply = await self.say(text, **who)
        assert reply.error is None, (text, reply)
        return reply

    async def rows(self, table: Any) -> list[dict[str, Any]]:
        async with create_sessionmaker(self.bot.engine)() as session:
            result = await session.execute(select(table.__table__))
            return [dict(row) for row in result.mappings()]

    async def count(self, table: Any, *where: Any) -> int:
        query = select(func.count()).select_from(table.__table__).where(*where)
        async with create_sessionmaker(self.bot.engine)() as session:
            return int((await session.execute(query)).scalar_one())

    async def tick(self) -> int:
        return await self.bot.timers["daily-prompts"].run()


@pytest_asyncio.fixture(loop_scope="function")
async def community(settings: Settings) -> AsyncIterator[Community]:
    clock = FixedClock(DUE - timedelta(hours=1))
    publisher = ScriptedPublisher()
    async with open_bot(settings, clock, prompt_publishers={Platform.CONSOLE: publisher}) as bot:
        yield Community(bot, clock, publisher)


def field(reply: Reply, name: str) -> str:
    return next(f.value for f in reply.fields if f.name == name)


async def test_configure_saves_the_schedule_and_a_bad_value_saves_nothing(
    community: Community,
) -> None:
    await community.ok(SETUP + " days:mon-fri difficulty:easy,medium topics:sql grace:2h")
    (saved,) = await community.rows(PromptChannelRow)
    assert (saved["channel_id"], saved["space_id"], saved["post_minute"]) == ("study", "local", 540)
    assert (saved["timezone"], saved["weekdays"], saved["grace_minutes"]) == (
        "Europe/Berlin", 0b11111, 120,
    )  # fmt: skip
    assert (saved["difficulties"], saved["topics"]) == ("easy,medium", "sql-databases")
    assert saved["next_local_date"] == date(2025, 6, 2)

    bad = {
        "config prompts channel:#study time:25:00": "usage",
        "config prompts channel:#study days:funday": "usage",
        "config prompts channel:#study timezone:Mars/Olympus": "invalid_timezone",
        "config prompts channel:#study topics:sql,marsupials": "unknown_topic",
        "config prompts channel:#study difficulty:extreme": "usage",
        "config prompts channel:#a/b time:09:00": "usage",
        "config prompts channel:#study grace:2d": "usage",
        "config prompts channel:#other days:mon": "usage",  # a new channel needs a time
        "config prompts skip funday": "usage",
        "config prompts pause until:someday": "usage",
    }
    for line, code in bad.items():
        reply = await community.say(line)
        assert reply.error == code, (line, reply)
    assert await community.rows(PromptChannelRow) == [saved]


async def test_filters_that_no_prompt_matches_save_nothing(community: Community) -> None:
    bank = community_bank(community)
    # A topic and difficulty of the real bank with no prompt: found, not assumed.
    topic, level = next(
        (t, d)
        for t in sorted({t for p in bank for t in p.topics})
        for d in ("easy", "medium", "hard")
        if not pool(bank, PromptFilter(frozenset({d}), frozenset({t})))  # type: ignore[arg-type]
    )
    reply = await community.say(f"{SETUP} topics:{topic} difficulty:{level}")
    assert reply.error == "usage"
    assert await community.count(PromptChannelRow) == 0


async def test_several_channels_each_post_on_their_own_schedule(community: Community) -> None:
    await community.ok(SETUP)
    await community.ok("config prompts channel:#late time:18:30 timezone:America/New_York")
    channels = {row["channel_id"]: row for row in await community.rows(PromptChannelRow)}
    assert set(channels) == {"study", "late"}
    assert channels["late"]["post_minute"] == 18 * 60 + 30
    shown = await community.ok("config show")
    section = field(shown, "Daily prompts")
    assert "#study" in section and "#late" in section
    assert "Mon 2025-06-02 09:00 Europe/Berlin" in section  # the next post, in local time
    assert "Mon 2025-06-02 18:30 America/New_York" in section

    community.clock.advance(timedelta(hours=1))
    assert await community.tick() == 1  # study only: 18:30 in New York is hours away
    assert [c.channel_id for c in community.publisher.calls] == ["study"]


async def test_a_command_without_a_channel_uses_the_one_it_is_typed_in(
    community: Community,
) -> None:
    await community.ok("config prompts time:09:00", channel="general")
    (row,) = await community.rows(PromptChannelRow)
    assert row["channel_id"] == "general"
    assert row["timezone"] == "UTC"  # no community default: the bot's


async def test_the_community_default_timezone_is_the_channels_default(
    community: Community,
) -> None:
    await community.ok("config streaks timezone Asia/Tokyo")
    await community.ok("config prompts time:09:00")
    (row,) = await community.rows(PromptChannelRow)
    assert row["timezone"] == "Asia/Tokyo"


async def test_off_skip_pause_and_resume_move_the_next_post(community: Community) -> None:
    await community.ok(SETUP)

    async def pending() -> tuple[object, object]:
        (row,) = await community.rows(PromptChannelRow)
        return row["next_local_date"], row["next_due_at"]

    await community.ok("config prompts off #study")
    assert await pending() == (None, None)
    await community.ok("config prompts resume #study")
    assert (await pending())[0] == date(2025, 6, 2)

    await community.ok("config prompts skip 2025-06-02 #study")
    assert (await pending())[0] == date(2025, 6, 3)
    await community.ok("config prompts skip tue #study")
    (row,) = await community.rows(PromptChannelRow)
    assert row["weekdays"] == 0b1111101 and row["next_local_date"] == date(2025, 6, 4)

    await community.ok("config prompts pause until:2025-06-10 #study")
    assert (await pending())[0] == date(2025, 6, 11)  # the 10th is a Tuesday, left out
    await community.ok("config prompts resume #study")
    assert (await pending())[0] == date(2025, 6, 4)  # the holiday stays, the pause is over

    refused = await community.say("config prompts skip mon,wed,thu,fri,sat,sun #study")
    assert refused.error == "usage"  # it would leave no day
    assert (await community.say("config prompts skip 2025-06-01 #study")).error == "usage"
    assert (await community.say("config prompts off #nowhere")).error == "no_prompts"


async def test_preview_is_what_the_tick_posts_and_skip_moves_it_on(community: Community) -> None:
    await community.ok(SETUP)
    first = field(await community.ok("prompt preview #study"), "#study")
    skipped = await community.ok("prompt skip #study")
    after = field(skipped, "Next post")
    assert after != first and "Mon 2025-06-02 09:00 Europe/Berlin" in after
    assert field(await community.ok("prompt preview"), "#study") == after

    community.clock.advance(timedelta(hours=1))
    assert await community.tick() == 1
    (posted,) = community.publisher.calls
    assert f"(`{posted.prompt_id}`)" in after  # the preview named the prompt that went out
    uses = {(u["prompt_id"], u["how"]) for u in await community.rows(PromptUseRow)}
    assert ("skipped" in {how for _, how in uses}) and (posted.prompt_id, "posted") in uses

    # The day is posted: a skip now replaces tomorrow's, never today's.
    await community.ok("prompt skip #study")
    (post,) = await community.rows(PromptPostRow)
    assert (post["prompt_id"], post["state"]) == (posted.prompt_id, "posted")
    assert "Tue 2025-06-03" in field(await community.ok("prompt preview #study"), "#study")


async def test_post_now_posts_once_then_refuses(community: Community) -> None:
    await community.ok(SETUP)
    done = await community.ok("prompt post-now #study")
    assert field(done, "Day") == "2025-06-02"
    again = await community.say("prompt post-now #study")
    assert again.error == "already_posted"
    assert len(community.publisher.calls) == 1
    community.clock.advance(timedelta(hours=1))
    assert await community.tick() == 0  # the timer does not post the day a second time
    assert await community.count(PromptPostRow) == 1


async def test_moderator_commands_refuse_members_before_reading_arguments(
    community: Community,
) -> None:
    await community.ok(SETUP)
    for line in (
        "config prompts time:99:99",
        "config prompts off",
        "config prompts skip funday",
        "config prompts pause until:never",
        "config prompts resume",
        "prompt preview",
        "prompt skip",
        "prompt post-now",
        "prompt status",
    ):
        reply = await community.say(line, user="bea", moderator=False)
        assert reply.error == "permission", line
    assert community.publisher.calls == []
    assert (await community.say("prompt history", user="bea", moderator=False)).error is None
    assert (await community.say("prompt", user="bea", moderator=False)).error is None


async def test_history_and_status_report_each_day(community: Community) -> None:
    await community.ok(SETUP + " topics:containers")
    community.clock.advance(timedelta(hours=1))
    assert await community.tick() == 1  # Monday posted
    community.clock.advance(timedelta(days=1, hours=4))  # Tuesday past its grace: missed
    await community.tick()
    history = await community.ok("prompt history 5", moderator=False, user="bea")
    lines = history.text.splitlines()
    assert [line.split()[:3] for line in lines] == [
        ["2025-06-03", "#study", "missed:"],
        ["2025-06-02", "#study", "posted:"],
    ]

    status = field(await community.ok("prompt status"), "#study")
    wanted = pool(community_bank(community), PromptFilter(topics=frozenset({"containers"})))
    assert "last post: 2025-06-03 missed" in status
    assert "failed in the last 30 days: 0" in status
    assert f"prompts left this cycle: {len(wanted) - 1} of {len(wanted)}" in status
    assert "next post: Wed 2025-06-04 09:00 Europe/Berlin" in status
    assert ("warning" in status) == (len(wanted) - 1 <= 7)


def community_bank(community: Community) -> tuple[Prompt, ...]:
    """Return the real bank, as the job loads it."""
    knowledge, _, _ = build_answerer(community.bot.settings)
    return load_prompts(content_dir(community.bot.settings), [t.id for t in knowledge.topics])


async def test_today_hint_and_answers_for_members(community: Community) -> None:
    await community.ok(SETUP)
    member = {"user": "ada", "moderator": False}
    before = await community.ok("prompt", **member)
    assert field(before, "Next post") == "Mon 2025-06-02 09:00 Europe/Berlin"
    assert (await community.say("prompt hint", **member)).error == "no_prompt_today"
    assert (await community.say("prompt answer x", **member)).error == "no_prompt_today"

    await community.ok("prompt post-now")
    (posted,) = community.publisher.calls
    prompt = next(p for p in community_bank(community) if p.id == posted.prompt_id)
    today = await community.ok("prompt today", **member)
    assert today.title is not None and "2025-06-02" in today.title and prompt.title in today.title
    assert field(today, "Difficulty") == prompt.difficulty
    hint = await community.ok("prompt hint", **member)
    assert hint.ephemeral
    assert hint.text == prompt.hint if prompt.hint else hint.text


async def test_an_answer_counts_once_for_the_streak_and_a_redelivery_records_nothing(
    community: Community,
) -> None:
    await community.ok(SETUP)
    await community.ok("prompt post-now")
    ada = {"user": "ada", "moderator": False}
    recorded = await community.ok("prompt answer SELECT 1", event="m-1", **ada)
    assert field(recorded, "Streak") == "1 day"
    # The platform delivers the same message again: the event log drops it, no reply.
    actor = Actor(Platform.CONSOLE, "local", "study", "ada", "ada")
    redelivered = await community.bot.dispatcher.handle(
        Incoming(actor, "prompt answer SELECT 1", "m-1", CONSOLE_REFERENCES)
    )
    assert redelivered is None
    second = await community.say("prompt answer a better one", event="m-2", **ada)
    assert second.error == "already_answered"
    assert await community.count(PromptAnswerRow) == 1
    answers = LearningEventRow.kind == "prompt_answer"
    assert await community.count(LearningEventRow, answers) == 1
    (event,) = [e for e in await community.rows(LearningEventRow) if e["kind"] == "prompt_answer"]
    assert event["source"] == "m-1"
    assert field(await community.ok("streak", **ada), "Current") == "1 day"


async def test_answers_name_who_answered_but_only_count_hidden_members(
    community: Community,
) -> None:
    await community.ok(SETUP)
    await community.ok("prompt post-now")
    await community.ok("privacy leaderboard off", user="bea", moderator=False)
    for name in ("ada", "bea", "cy"):
        await community.ok("prompt answer done", user=name, moderator=False, event=f"a-{name}")
    listed = await community.ok("prompt answers", user="dan", moderator=False)
    assert field(listed, "Answered") == "3"
    assert "ada" in listed.text and "cy" in listed.text and "bea" not in listed.text
    assert "1 member" in listed.text
