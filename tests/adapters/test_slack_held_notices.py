"""Private messages on the fake Slack: a DM, or (refused) a notice at the member's next message."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.core.messages import Button, Platform, Reply
from bot.core.ports import MemberKey
from tests.adapters.test_slack import Running, bot_on
from tests.slack_fake import FakeSlack

MEMBER = MemberKey(Platform.SLACK, "T0001:U_MEMBER")
OFFER = Reply(
    title="Mentoring offer",
    text="Can you mentor a learner on docker-volumes?",
    buttons=(Button("My streak", command="streak"),),
)


@pytest_asyncio.fixture(loop_scope="function")
async def running(tmp_path: Path) -> AsyncIterator[Running]:
    async with FakeSlack() as slack, bot_on(slack, tmp_path) as running:
        yield running


def notices_shown(running: Running) -> int:
    """Count the times the offer reached the member: DMs, responses and ephemeral messages."""
    slack = running.slack
    calls = [*slack.calls_to("chat.postMessage"), *slack.calls_to("chat.postEphemeral")]
    shown = [c for c in calls if "docker-volumes" in str(c.args.get("blocks"))]
    said = [r for r in slack.responses("default") if "docker-volumes" in str(r.json)]
    return len(shown) + len(said)


async def test_an_open_dm_is_delivered(running: Running) -> None:
    assert running.bot is not None
    assert await running.bot.private.send(MEMBER, OFFER, space_id="T0001") is True

    posted = await running.slack.wait_for_call("chat.postMessage")
    assert posted.args["channel"] == "D_MEMBER"
    assert notices_shown(running) == 1


@pytest.mark.parametrize(
    ("method", "error"),
    [("conversations.open", "user_disabled"), ("chat.postMessage", "messages_tab_disabled")],
)
async def test_a_refused_dm_is_shown_once_beside_the_next_command(
    running: Running, method: str, error: str
) -> None:
    assert running.bot is not None
    running.slack.fail_next(method, error=error, status=200, retry_after=None)

    assert await running.bot.private.send(MEMBER, OFFER, space_id="T0001") is False
    assert notices_shown(running) == 0

    answer = await running.command("streak")
    notice = (await running.slack.wait_for_response("default", count=2)).json
    assert "docker-volumes" not in str(answer)
    assert "docker-volumes" in str(notice["blocks"])
    assert notice["response_type"] == "ephemeral"  # only the member sees it
    assert any(e.get("value") == "streak" for b in notice["blocks"] for e in b.get("elements", []))

    await running.command("streak", count=3)
    assert notices_shown(running) == 1  # shown once, never again
    assert len(running.slack.responses("default")) == 3


async def test_a_mention_shows_the_notice_as_an_ephemeral_message(running: Running) -> None:
    assert running.bot is not None
    running.slack.fail_next("conversations.open", error="user_disabled", status=200)
    assert await running.bot.private.send(MEMBER, OFFER, space_id="T0001") is False

    await running.sender.app_mention("what is docker?", ts="1700000000.000100")
    ephemeral = await running.slack.wait_for_call("chat.postEphemeral")

    assert ephemeral.args["user"] == "U_MEMBER" and ephemeral.args["channel"] == "C_GENERAL"
    assert "docker-volumes" in str(ephemeral.args["blocks"])
    public = running.slack.calls_to("chat.postMessage")
    assert public and all("docker-volumes" not in str(c.args) for c in public)
    assert notices_shown(running) == 1


async def test_a_button_click_shows_the_notice_privately(running: Running) -> None:
    assert running.bot is not None
    running.slack.fail_next("conversations.open", error="user_disabled", status=200)
    assert await running.bot.private.send(MEMBER, OFFER, space_id="T0001") is False

    status, _ = await running.sender.block_action("rb:cmd:0", value="streak")
    assert status == 200
    notice = (await running.slack.wait_for_response("default", count=2)).json
    assert notice["response_type"] == "ephemeral" and "docker-volumes" in str(notice["blocks"])
    assert notices_shown(running) == 1
