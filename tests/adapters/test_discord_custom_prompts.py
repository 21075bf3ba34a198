"""`/prompt add` on Discord: the real discord.py opens its form, and a submission stores it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from bot.app import open_bot
from bot.config import load_settings
from bot.core.catalog import COMMANDS
from bot.core.clock import FixedClock
from bot.storage.db import create_sessionmaker
from bot.storage.tables import CustomPromptRow
from tests.adapters.test_discord import discord_serving
from tests.adapters.test_discord_forms import MESSAGE, MODAL, MODAL_SUBMIT, inputs
from tests.test_prompt_commands import DUE

MANAGE_SERVER = 1 << 5


async def test_prompt_add_opens_a_form_whose_submission_stores_the_prompt(
    tmp_path: Path, sqlite_url: str
) -> None:
    settings = load_settings(database_url=sqlite_url, data_dir=tmp_path / "data")
    async with (
        open_bot(settings, FixedClock(DUE)) as bot,
        discord_serving(tmp_path, bot.dispatcher, COMMANDS) as fake,
    ):
        mod = {"user": fake.moderator_user, "permissions": MANAGE_SERVER}
        sent = await fake.send_interaction("prompt", subcommand="add", **mod)
        body = (await fake.wait_for_interaction_response(sent)).json
        assert body["type"] == MODAL
        modal = body["data"]
        assert modal["custom_id"] == "rb:form:prompt add"
        shown = inputs(modal)
        assert list(shown) == ["title", "body", "difficulty", "topics", "hint"]
        assert [f["style"] for f in shown.values()] == [1, 2, 1, 1, 2]  # body, hint: paragraphs
        assert [f["required"] for f in shown.values()] == [True, True, True, True, False]
        assert [f["max_length"] for f in shown.values()][:2] == [100, 1500]

        filled = {"title": "Count the rows", "body": "How many rows has each table?",
                  "difficulty": "Easy", "topics": "sql", "hint": "count(*)"}  # fmt: skip
        sent = await fake.send_interaction(
            type=MODAL_SUBMIT, custom_id="rb:form:prompt add", fields=filled, **mod
        )
        answer = (await fake.wait_for_interaction_response(sent)).json
        assert answer["type"] == MESSAGE
        assert answer["data"]["embeds"][0]["title"] == "Added Count the rows"
        async with create_sessionmaker(bot.engine)() as session:
            rows = (await session.execute(select(CustomPromptRow.__table__))).mappings().all()
    assert [
        (r["prompt_id"], r["title"], r["difficulty"], r["topics"], r["hint"]) for r in rows
    ] == [("custom-1", "Count the rows", "easy", "sql-databases", "count(*)")]
