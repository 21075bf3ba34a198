"""`/mentor signup` and `/mentor leave` on Discord: the real discord.py, the real app."""

from __future__ import annotations

from pathlib import Path

from bot.app import open_bot
from bot.config import load_settings
from bot.core.catalog import COMMANDS
from bot.core.clock import FixedClock
from bot.core.mentoring.ports import MentorKey
from bot.core.messages import Platform
from bot.storage.db import create_sessionmaker
from bot.storage.mentoring.profiles import SqlMentorProfiles
from tests.adapters.test_discord import discord_serving
from tests.adapters.test_discord_forms import MESSAGE, MODAL, MODAL_SUBMIT, inputs
from tests.test_prompt_commands import DUE

FORM = "rb:form:mentor signup"
EPHEMERAL = 64


async def test_signup_is_a_form_refusing_bad_hours_and_leave_asks_with_a_button(
    tmp_path: Path, sqlite_url: str
) -> None:
    settings = load_settings(database_url=sqlite_url, data_dir=tmp_path / "data")
    async with (
        open_bot(settings, FixedClock(DUE)) as bot,
        discord_serving(tmp_path, bot.dispatcher, COMMANDS) as fake,
    ):
        store = SqlMentorProfiles(create_sessionmaker(bot.engine))
        key = MentorKey(Platform.DISCORD, str(fake.guild_id), str(fake.member_user["id"]))
        member = {"user": fake.member_user}
        saved = await fake.send_interaction("timezone", {"zone": "Asia/Tokyo"}, **member)
        await fake.wait_for_interaction_response(saved)

        sent = await fake.send_interaction("mentor", subcommand="signup", **member)
        body = (await fake.wait_for_interaction_response(sent)).json
        assert body["type"] == MODAL and body["data"]["custom_id"] == FORM
        shown = inputs(body["data"])
        assert list(shown) == ["topics", "experience", "hours", "capacity", "intro"]
        assert [f["required"] for f in shown.values()] == [True, True, True, False, False]

        filled = {"topics": "git, databases", "experience": "web", "hours": "Mon 25:00-26:00"}
        sent = await fake.send_interaction(
            type=MODAL_SUBMIT, custom_id=FORM, fields=filled, **member
        )
        refused = (await fake.wait_for_interaction_response(sent)).json
        assert "hours" in refused["data"]["embeds"][0]["description"]
        assert await store.get(key) is None

        filled["hours"] = "Mon-Thu 18:00-20:00, Sat 10:00-12:00"
        sent = await fake.send_interaction(
            type=MODAL_SUBMIT, custom_id=FORM, fields=filled | {"capacity": "3"}, **member
        )
        answer = (await fake.wait_for_interaction_response(sent)).json
        assert answer["type"] == MESSAGE and answer["data"]["flags"] & EPHEMERAL
        profile = await store.get(key)
        assert profile is not None
        assert (profile.topics, profile.level, profile.capacity, profile.timezone) == (
            {"git", "databases"}, 1, 3, "Asia/Tokyo",
        )  # fmt: skip

        sent = await fake.send_interaction("mentor", subcommand="leave", **member)
        asked = (await fake.wait_for_interaction_response(sent)).json
        assert asked["data"]["flags"] & EPHEMERAL and await store.get(key) is not None
        buttons = [c for row in asked["data"]["components"] for c in row["components"]]
        (confirm,) = [b["custom_id"] for b in buttons if "mentor leave confirm" in b["custom_id"]]
        clicked = await fake.send_interaction(type=3, custom_id=confirm, **member)
        await fake.wait_for_interaction_response(clicked)
        assert await store.get(key) is None
