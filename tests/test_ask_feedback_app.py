"""Answers' feedback through the composed app and the console, on SQLite and PostgreSQL.

The real knowledge base answers; the console shows the buttons as lines to type, and typing
one stores the rating; `ask stats`, `config ask`, `about` and the pruning timer read the same
tables.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.adapters.console import ConsoleAdapter, console_actor, render_text
from bot.app import BotContext, open_bot
from bot.config import Settings, load_settings
from bot.core.clock import FixedClock
from bot.core.messages import Reply
from bot.storage.ask_tables import AskAnswerDocumentRow, AskAnswerRow, AskRatingRow
from bot.storage.db import create_sessionmaker

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def settings(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.chdir(tmp_path)
    return load_settings(database_url=database_url, data_dir=tmp_path / "data")


async def say(bot: BotContext, user: str, line: str, *, moderator: bool = False) -> Reply:
    actor = console_actor(user, moderator=moderator)
    reply = await ConsoleAdapter(bot.dispatcher.handle, actor).ask(line)
    assert reply is not None
    return reply


async def rows(bot: BotContext, table: Any) -> list[Any]:
    async with create_sessionmaker(bot.engine)() as session:
        return list((await session.execute(select(table.__table__))).mappings().all())


def field(reply: Reply, name: str) -> str:
    return next(f.value for f in reply.fields if f.name == name)


async def test_console_members_rate_answers_and_moderators_see_the_figures(
    settings: Settings,
) -> None:
    clock = FixedClock(START)
    async with open_bot(settings, clock) as bot:
        answer = await say(bot, "ada", "what is docker?")
        helpful, not_helpful = answer.buttons
        assert (
            helpful.command == "ask feedback 1 yes" and not_helpful.command == "ask feedback 1 no"
        )
        shown = render_text(answer)
        assert "type `ask feedback 1 yes`" in shown and "type `ask feedback 1 no`" in shown
        declined = await say(bot, "bob", "plan me a trip to Lisbon")
        assert declined.buttons == ()

        assert (await say(bot, "bob", helpful.command)).error is None
        assert (await say(bot, "cy", not_helpful.command)).error is None
        assert (await say(bot, "cy", helpful.command)).error is None  # changed its mind
        assert (await say(bot, "cy", "ask feedback 2 yes")).error == "bad_request"  # declined
        assert (await say(bot, "cy", "ask feedback 77 yes")).error == "bad_request"

        ratings = await rows(bot, AskRatingRow)
        assert sorted((r["user_id"], r["helpful"]) for r in ratings) == [
            ("bob", True), ("cy", True),
        ]  # fmt: skip
        documents = {r["document"] for r in await rows(bot, AskAnswerDocumentRow)}
        assert documents and all(":" in d for d in documents)  # `kind:id` of each entry
        assert all(r["kept_text"] is None for r in await rows(bot, AskAnswerRow))

        assert (await say(bot, "ada", "ask stats")).error == "permission"
        stats = await say(bot, "mod", "ask stats", moderator=True)
        assert (field(stats, "Answered"), field(stats, "Declined")) == ("1", "1")
        assert field(stats, "Helpful rate").startswith("100% (2 of 2")
        assert "Docker" in field(stats, "Most-asked topics")


async def test_kept_declined_texts_follow_the_setting_about_and_the_timer(
    settings: Settings,
) -> None:
    clock = FixedClock(START)
    async with open_bot(settings, clock) as bot:
        before = field(await say(bot, "ada", "about"), "Privacy")
        assert "do not keep the text of your questions" in before
        await say(bot, "ada", "plan me a trip to Lisbon")
        turned = await say(bot, "mod", "config ask keep-declined:on", moderator=True)
        assert turned.error is None
        await say(bot, "ada", "how do I bake sourdough bread at home?")
        after = field(await say(bot, "ada", "about"), "Privacy")
        assert "do not keep the text" not in after and "30 days" in after
        shown = field(await say(bot, "mod", "config", moderator=True), "Questions")
        assert "on" in shown

        stats = await say(bot, "mod", "ask stats", moderator=True)
        kept = field(stats, "Declined questions")
        assert "sourdough" in kept and "Lisbon" not in kept

        # Past 30 days the timer drops the text; the outcome stays for the counts.
        clock.advance(timedelta(days=31))
        assert await bot.timers["prune-ask-records"].run() == 1
        assert [r["kept_text"] for r in await rows(bot, AskAnswerRow)] == [None, None]
        month = await say(bot, "mod", "ask stats month", moderator=True)
        assert field(month, "Declined") == "0"  # older than 30 days by now
        # Past 90 days the records go too.
        clock.advance(timedelta(days=60))
        assert await bot.timers["prune-ask-records"].run() == 2
        assert await rows(bot, AskAnswerRow) == []
