"""`/prompt add` on Discord: the real discord.py opens its form, and a submission stores it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import select

from bot.app import BotContext, open_bot
from bot.config import load_settings
from bot.core.catalog import COMMANDS
from bot.core.clock import FixedClock
from bot.platform_setup import discord_adapter, reach_of
from bot.serving import serve
from bot.storage.db import create_sessionmaker
from bot.storage.tables import CustomPromptRow
from tests.adapters.test_discord import discord_serving, settings_on
from tests.adapters.test_discord_forms import MESSAGE, MODAL, MODAL_SUBMIT, inputs
from tests.discord_fake import FakeDiscord, make_client_overrides
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


async def test_a_suggestion_is_approved_from_the_owner_s_dm_and_refused_to_others(
    tmp_path: Path,
) -> None:
    """The Approve button reaches the owner in a DM, and still acts in the server."""
    async with FakeDiscord() as fake:
        with make_client_overrides(fake):
            settings = settings_on(
                fake,
                tmp_path,
            )
            adapter = discord_adapter(settings, guild_ready_timeout=0.1)
            async with open_bot(settings, FixedClock(DUE), reach_of([adapter])) as bot:
                task = asyncio.create_task(serve(adapter, bot))
                try:
                    await fake.wait_until_identified()
                    suggestion = {"title": "Count the rows", "body": "How many rows?",
                                  "difficulty": "easy", "topics": "sql"}  # fmt: skip
                    sent = await fake.send_interaction(
                        "prompt", suggestion, subcommand="suggest", user=fake.member_user
                    )
                    await fake.wait_for_interaction_response(sent)
                    notice = await fake.wait_for_request("POST", r"/channels/\d+/messages")
                    dm = notice.path.split("/")[2]
                    assert dm != str(fake.channel_id)  # the owner's DM channel
                    buttons = [c for row in notice.json["components"] for c in row["components"]]
                    approve = next(b["custom_id"] for b in buttons if b["label"] == "Approve")
                    assert approve == f"rb:in:{fake.guild_id}:prompt approve custom-1"

                    refused = await fake.send_interaction(
                        type=3, custom_id=approve, guild=False, user=fake.member_user,
                        channel_id=int(dm),
                    )  # fmt: skip
                    body = (await fake.wait_for_interaction_response(refused)).json
                    assert "moderators" in body["data"]["embeds"][0]["description"].lower()
                    assert await statuses(bot) == ["pending"]

                    clicked = await fake.send_interaction(
                        type=3, custom_id=approve, guild=False, user=fake.owner_user,
                        channel_id=int(dm),
                    )  # fmt: skip
                    await fake.wait_for_interaction_response(clicked)
                    assert await statuses(bot) == ["active"]
                finally:
                    await adapter.close()
                    await asyncio.wait_for(task, 5)
        assert fake.errors == []


async def statuses(bot: BotContext) -> list[str]:
    """Return the status of every custom prompt."""
    async with create_sessionmaker(bot.engine)() as session:
        rows = (await session.execute(select(CustomPromptRow.__table__))).mappings().all()
    return [str(r["status"]) for r in rows]
