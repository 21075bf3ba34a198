"""The Slack prompt publisher: the adapter's own slack-sdk client against the fake Slack."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import date

import pytest
import pytest_asyncio

from bot.adapters.slack.adapter import SlackAdapter
from bot.adapters.slack.prompts import SlackPromptPublisher
from bot.core.catalog import COMMANDS
from bot.core.messages import Platform
from bot.core.prompts.bank import Prompt
from bot.core.prompts.ports import (
    ChannelTarget,
    ChannelUnavailable,
    DeliveryFailed,
    PromptPost,
    RateLimited,
)
from tests.adapters.test_slack import free_port, slack_options
from tests.slack_fake import FakeSlack

PROMPT = Prompt(
    "sql-joins-1",
    "Join two tables",
    "Write a query listing **every** order with its customer. <!here> <!subteam^S_X>",
    "medium",
    ("sql", "databases"),
    hint="start from the orders table",
    example="SELECT ... FROM orders JOIN customers ...",
)
POST = PromptPost(PROMPT, date(2025, 6, 2))


class Posting:
    def __init__(self, slack: FakeSlack) -> None:
        self.slack = slack
        adapter = SlackAdapter(slack_options(slack, free_port()), COMMANDS)
        self.publisher = SlackPromptPublisher(adapter.app.client)  # as platform_setup builds it

    def target(self, group: str | None = None, channel: str = "C_GENERAL") -> ChannelTarget:
        return ChannelTarget(Platform.SLACK, self.slack.team_id, channel, group)


@pytest_asyncio.fixture(loop_scope="function")
async def posting() -> AsyncIterator[Posting]:
    async with FakeSlack() as slack:
        yield Posting(slack)
        assert slack.errors == []


async def test_the_prompt_is_block_kit_whose_ts_is_the_answers_thread(posting: Posting) -> None:
    published = await posting.publisher.publish(posting.target(), POST)

    (call,) = posting.slack.calls_to("chat.postMessage")
    (message,) = posting.slack.messages
    assert published.message_id == published.thread_id == message.ts
    assert call.args["channel"] == "C_GENERAL"
    blocks = call.args["blocks"]
    assert [b["type"] for b in blocks] == ["header", "section", "section", "context", "context"]
    assert blocks[0]["text"]["text"] == "Daily prompt: Join two tables"
    body = blocks[1]["text"]["text"]
    assert body.startswith("Write a query listing *every* order")
    assert "<!here>" not in str(call.args) and "<!subteam^" not in str(call.args)
    assert "SELECT ... FROM orders" in blocks[2]["text"]["text"]
    facts = blocks[3]["elements"][0]["text"]
    assert "medium" in facts and "sql, databases" in facts and "`sql-joins-1`" in facts
    assert "reply in this thread to answer" in blocks[4]["elements"][0]["text"].lower()
    assert "start from the orders table" not in str(call.args)  # the hint stays hidden
    assert call.args["text"].startswith("Daily prompt: Join two tables")


async def test_a_configured_group_is_mentioned_and_nothing_else(posting: Posting) -> None:
    await posting.publisher.publish(posting.target("S_MODS"), POST)
    (call,) = posting.slack.calls_to("chat.postMessage")
    assert call.args["blocks"][0]["text"]["text"].startswith("<!subteam^S_MODS>")
    assert call.args["text"].startswith("<!subteam^S_MODS> ")
    assert str(call.args).count("<!") == 2  # the group, in the block and in the fallback


async def test_a_group_id_that_is_not_one_is_not_mentioned(posting: Posting) -> None:
    await posting.publisher.publish(posting.target("here>"), POST)
    (call,) = posting.slack.calls_to("chat.postMessage")
    assert "<!" not in str(call.args)


async def test_ratelimited_is_rate_limited_with_slack_s_wait(posting: Posting) -> None:
    posting.slack.fail_next("chat.postMessage", "ratelimited", 429, retry_after=7)
    started = time.monotonic()
    with pytest.raises(RateLimited) as raised:
        await posting.publisher.publish(posting.target(), POST)
    assert raised.value.retry_after == 7.0
    assert time.monotonic() - started < 3  # raised at once: no retry handler slept on it
    assert posting.slack.messages == []
    assert len(posting.slack.calls_to("chat.postMessage", include_failed=True)) == 1


@pytest.mark.parametrize(
    "code", ["channel_not_found", "not_in_channel", "is_archived", "missing_scope"]
)
async def test_an_unreachable_channel_is_unavailable(posting: Posting, code: str) -> None:
    posting.slack.fail_next("chat.postMessage", code, 200, retry_after=None)
    with pytest.raises(ChannelUnavailable) as raised:
        await posting.publisher.publish(posting.target(), POST)
    assert code in raised.value.reason
    assert posting.slack.bot_token not in raised.value.reason


async def test_an_unknown_channel_of_the_fake_is_unavailable(posting: Posting) -> None:
    with pytest.raises(ChannelUnavailable, match="channel_not_found"):
        await posting.publisher.publish(posting.target(channel="C_GONE"), POST)


async def test_other_refusals_are_failures_that_may_pass(posting: Posting) -> None:
    posting.slack.fail_next("chat.postMessage", "internal_error", 500, retry_after=None)
    with pytest.raises(DeliveryFailed) as raised:
        await posting.publisher.publish(posting.target(), POST)
    assert raised.value.reason == "Slack answered internal_error"
