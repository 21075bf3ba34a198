"""Private messages on the fake Discord: a DM, or (closed DMs) a notice at the next command."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest_asyncio

from bot.adapters.discord.client import DiscordAdapter
from bot.app import BotContext, open_bot
from bot.core.messages import Button, Platform, Reply
from bot.core.ports import MemberKey
from bot.platform_setup import discord_adapter, reach_of
from bot.serving import serve
from tests.adapters.test_discord import settings_on
from tests.discord_fake import FakeDiscord, make_client_overrides

DM_MESSAGES = r"/channels/\d+/messages"
CLOSED_DMS = {"message": "Cannot send messages to this user", "code": 50007}
OFFER = Reply(
    title="Mentoring offer",
    text="Can you mentor a learner on docker-volumes?",
    buttons=(Button("My streak", command="streak"),),
)


@dataclass
class Running:
    fake: FakeDiscord
    adapter: DiscordAdapter
    bot: BotContext

    @property
    def alice(self) -> MemberKey:
        return MemberKey(Platform.DISCORD, str(self.fake.member_user["id"]))

    def messages_saying(self, text: str) -> list[dict[str, Any]]:
        """Return every message or follow-up Discord took whose embeds contain text."""
        found = []
        for request in self.fake.requests:
            if request.status >= 400:  # refused (closed DMs): nobody saw it
                continue
            body = request.json if isinstance(request.json, dict) else {}
            embeds = body.get("embeds") or (body.get("data") or {}).get("embeds") or []
            if request.method == "POST" and any(text in str(e) for e in embeds):
                found.append(body)
        return found

    async def until_said(self, text: str) -> None:
        """Wait until Discord took a message of the bot that says text."""
        await self.fake.recorder.signal.wait_for(
            lambda: self.messages_saying(text) or None, 5.0, f"a message saying {text!r}"
        )


@pytest_asyncio.fixture(loop_scope="function")
async def running(tmp_path: Path) -> AsyncIterator[Running]:
    async with FakeDiscord() as fake:
        with make_client_overrides(fake):
            settings = settings_on(fake, tmp_path)
            adapter = discord_adapter(settings, guild_ready_timeout=0.1)
            async with open_bot(settings, reach=reach_of([adapter])) as bot:
                task = asyncio.create_task(serve(adapter, bot))
                try:
                    await fake.wait_until_identified()
                    yield Running(fake, adapter, bot)
                finally:
                    await adapter.close()
                    await asyncio.wait_for(task, 5)


def custom_ids(body: dict[str, Any]) -> list[str]:
    rows = body.get("components") or []
    return [c.get("custom_id", "") for row in rows for c in row.get("components", [])]


async def test_an_open_dm_is_delivered_with_buttons_that_act_in_the_server(
    running: Running,
) -> None:
    guild = str(running.fake.world.guild_id)

    assert await running.bot.private.send(running.alice, OFFER, space_id=guild) is True

    (dm,) = running.messages_saying("docker-volumes")
    assert custom_ids(dm) == [f"rb:in:{guild}:streak"]
    # Nothing was held: the next command brings no notice.
    sent = await running.fake.send_interaction("streak")
    await running.fake.wait_for_interaction_response(sent)
    assert len(running.messages_saying("docker-volumes")) == 1


async def test_closed_dms_hold_the_notice_until_the_next_command_and_show_it_once(
    running: Running,
) -> None:
    guild = str(running.fake.world.guild_id)
    running.fake.fail_next("POST", DM_MESSAGES, 403, CLOSED_DMS)

    # The flow goes on: send returns at once, saying the DM was held.
    assert await running.bot.private.send(running.alice, OFFER, space_id=guild) is False
    assert running.messages_saying("docker-volumes") == []

    sent = await running.fake.send_interaction("streak")
    answer = await running.fake.wait_for_interaction_response(sent)
    notice = (await running.fake.wait_for_followup(sent)).json

    assert "docker-volumes" not in str(answer.json)  # the answer itself is unchanged
    assert "docker-volumes" in notice["embeds"][0]["description"]
    assert notice["flags"] & 64  # ephemeral: only the member sees it
    assert custom_ids(notice) == [f"rb:in:{guild}:streak"]

    again = await running.fake.send_interaction("streak")
    await running.fake.wait_for_interaction_response(again)
    assert len(running.messages_saying("docker-volumes")) == 1  # shown once, never again

    # Its button acts in the server, from wherever it was clicked.
    click = await running.fake.send_interaction(
        type=3, custom_id=f"rb:in:{guild}:streak", guild=False
    )
    clicked = await running.fake.wait_for_interaction_response(click)
    assert clicked.json["type"] == 4 and clicked.json["data"]["embeds"]


async def test_a_mention_in_a_channel_keeps_the_notice_for_a_private_answer(
    running: Running,
) -> None:
    guild = str(running.fake.world.guild_id)
    running.fake.fail_next("POST", DM_MESSAGES, 403, CLOSED_DMS)
    assert await running.bot.private.send(running.alice, OFFER, space_id=guild) is False
    bot_user = running.fake.world.bot_user

    await running.fake.send_message(f"<@{bot_user['id']}> what is docker?", mentions=[bot_user])
    await running.until_said("Docker")  # the answer, in a thread of the channel
    assert running.messages_saying("docker-volumes") == []  # never shown in public

    await running.fake.send_message("streak", dm=True)  # a DM to the bot is private
    await running.until_said("docker-volumes")  # after the answer, in the same DM
    streak, notice = running.messages_saying("streak"), running.messages_saying("docker-volumes")
    assert len(notice) == 1 and streak
