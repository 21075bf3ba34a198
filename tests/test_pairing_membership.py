"""The MembershipCheck port on the real platform libraries: left the server, deactivated."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.ids import member_id
from bot.adapters.slack.membership import SlackMembership
from bot.core.messages import Platform
from bot.platform_setup import reach_of
from tests.adapters.test_discord import Running, running
from tests.slack_fake import FakeSlack

__all__ = ["running"]  # the fixture, shared with test_discord.py

MEMBER_PATH = r"/guilds/\d+/members/\d+$"


async def test_discord_says_who_left_the_server(running: Running) -> None:
    fake, check = running.fake, running.adapter.membership
    guild, alice = str(fake.guild_id), str(fake.member_user["id"])
    assert await check.is_member(guild, alice) is True
    del fake.world.members[int(alice)]  # alice leaves the server
    assert await check.is_member(guild, alice) is False
    assert await check.is_member("1234", alice) is False  # a server the bot is not in
    assert await check.is_member(guild, "not-a-snowflake") is None
    assert [r.status for r in fake.requests_matching("GET", MEMBER_PATH)] == [200, 404, 404]
    # Reach carries it, per platform, for the rounds engine.
    assert reach_of([running.adapter]).members[Platform.DISCORD] is check


async def test_discord_unsure_keeps_the_member(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    fake, check = running.fake, running.adapter.membership
    guild, alice = str(fake.guild_id), str(fake.member_user["id"])
    fake.fail_next("GET", MEMBER_PATH, 403, {"message": "Missing Access", "code": 50001})
    with caplog.at_level(logging.WARNING, logger="bot.adapters.discord.membership"):
        assert await check.is_member(guild, alice) is None
    assert "cannot check" in caplog.text


@pytest_asyncio.fixture(loop_scope="function")
async def slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as fake:
        yield fake


async def test_slack_says_who_was_deactivated_or_belongs_elsewhere(slack: FakeSlack) -> None:
    check = SlackMembership(AsyncWebClient(token=slack.bot_token, base_url=slack.api_base))
    team = slack.team_id
    member = member_id(team, slack.member_user_id)
    assert await check.is_member(team, member) is True
    slack.users[slack.member_user_id]["deleted"] = True
    assert await check.is_member(team, member) is False
    assert await check.is_member(team, member_id(team, "U_NOBODY")) is False
    slack.users[slack.admin_user_id]["team_id"] = "T_OTHER"  # a Slack Connect guest
    assert await check.is_member(team, member_id(team, slack.admin_user_id)) is False
    slack.fail_next("users.info", error="fatal_error", status=500, retry_after=None)
    assert await check.is_member(team, member_id(team, slack.owner_user_id)) is None
