"""Milestone roles: the Discord adapter's notifier grants them through the real discord.py."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from tests.adapters.test_discord import Running, running
from tests.discord_fake.entities import BOT_ROLE_PERMISSIONS, MANAGE_ROLES

__all__ = ["running"]  # the fixture, shared with test_discord.py

ROLE_PATH = r"/guilds/\d+/members/\d+/roles/\d+"


@pytest.fixture(autouse=True)
def _fake_has_no_errors(running: Running) -> Iterator[None]:
    yield
    assert running.fake.errors == []


def ids(running: Running) -> tuple[str, str]:
    """Return the guild id and alice's user id, as the core passes them (strings)."""
    return str(running.fake.guild_id), str(running.fake.member_user["id"])


async def test_a_granted_role_reaches_the_member_with_its_reason(running: Running) -> None:
    fake, notifier = running.fake, running.adapter.notifier
    guild_id, alice_id = ids(running)
    role_id = await fake.add_role("7-day streak")
    granted = await notifier.grant_role(guild_id, alice_id, str(role_id), "7-day study streak")
    assert granted is True
    assert fake.member_role_ids(alice_id) == [role_id]
    assert fake.requests_matching("PUT", ROLE_PATH)[0].reason == "7-day study streak"


async def test_granting_a_role_twice_is_harmless(running: Running) -> None:
    guild_id, alice_id = ids(running)
    learner = str(running.fake.learner_role_id)
    for _ in range(2):
        assert await running.adapter.notifier.grant_role(guild_id, alice_id, learner, "again")
    assert running.fake.member_role_ids(alice_id) == [int(learner)]


async def test_a_deleted_role_is_false_and_logged(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    guild_id, alice_id = ids(running)
    with caplog.at_level(logging.WARNING, logger="bot.adapters.discord.notifier"):
        granted = await running.adapter.notifier.grant_role(guild_id, alice_id, "1234", "gone")
    assert granted is False
    assert running.fake.member_role_ids(alice_id) == []
    assert [r.status for r in running.fake.requests_matching("PUT", ROLE_PATH)] == [404]
    assert "not found" in caplog.text and "Unknown Role" in caplog.text


async def test_without_manage_roles_it_is_false_and_logged(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    guild_id, alice_id = ids(running)
    await running.fake.set_bot_permissions(BOT_ROLE_PERMISSIONS & ~MANAGE_ROLES)
    learner = str(running.fake.learner_role_id)
    with caplog.at_level(logging.WARNING, logger="bot.adapters.discord.notifier"):
        granted = await running.adapter.notifier.grant_role(guild_id, alice_id, learner, "7 days")
    assert granted is False
    assert running.fake.member_role_ids(alice_id) == []
    assert [r.status for r in running.fake.requests_matching("PUT", ROLE_PATH)] == [403]
    assert "Manage Roles" in caplog.text


async def test_a_role_above_the_bots_is_false(running: Running) -> None:
    guild_id, alice_id = ids(running)
    above = await running.fake.add_role("Legend", position=5)
    assert not await running.adapter.notifier.grant_role(guild_id, alice_id, str(above), "100")
    assert running.fake.member_role_ids(alice_id) == []


async def test_ids_that_are_not_discords_are_false_without_a_call(running: Running) -> None:
    guild_id, alice_id = ids(running)
    notifier = running.adapter.notifier
    assert not await notifier.grant_role("dm", alice_id, "1", "not a guild")
    assert not await notifier.grant_role(guild_id, alice_id, "@Mentors", "a name, not an id")
    assert not await notifier.role_exists(guild_id, "")
    assert running.fake.requests_matching("PUT", ROLE_PATH) == []


async def test_role_exists_checks_the_guild(running: Running) -> None:
    guild_id, _ = ids(running)
    notifier = running.adapter.notifier
    assert await notifier.role_exists(guild_id, str(running.fake.learner_role_id))
    assert not await notifier.role_exists(guild_id, "1234")
    assert not await notifier.role_exists("1234", str(running.fake.learner_role_id))  # 404
