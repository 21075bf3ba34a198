"""The Slack prompt publisher: the adapter's own slack-sdk client against the fake Slack."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

import pytest
import pytest_asyncio

from bot.adapters.slack.adapter import SlackAdapter
from bot.adapters.slack.prompts import SlackPromptPublisher
from bot.core.catalog import COMMANDS
from bot.core.messages import Platform, Reply
from bot.core.prompts.bank import Prompt
from bot.core.prompts.ports import (
    ChannelTarget,
    ChannelUnavailable,
    DeliveryFailed,
    PromptPost,
    RateLimited,
)
from tests.adapters.test_slack import free_port, slack_options, wait_for_port
from tests.adapters.thread_answers import TABLE, Answers
from tests.slack_fake import FakeSlack, SlackRequests

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


@asynccontextmanager
async def answering() -> AsyncIterator[tuple[FakeSlack, SlackRequests, SlackAdapter, Answers]]:
    """Serve the adapter over HTTP with a `prompt answer` command and known prompt threads."""
    answers, port = Answers(), free_port()
    async with FakeSlack() as slack:
        adapter = SlackAdapter(slack_options(slack, port), TABLE)
        dispatcher = answers.dispatcher()
        task = asyncio.create_task(adapter.run(dispatcher.handle, answers.threads))
        try:
            await wait_for_port(port)
            async with slack.signed_requests(f"http://127.0.0.1:{port}/slack/events") as sender:
                yield slack, sender, adapter, answers
        finally:
            await adapter.close()
            await asyncio.wait_for(task, 5)
        assert slack.errors == []


async def posted_prompt(adapter: SlackAdapter, answers: Answers) -> str:
    """Post the prompt in #general through the adapter's publisher; return its thread ts."""
    target = ChannelTarget(Platform.SLACK, "T0001", "C_GENERAL")
    published = await adapter.prompt_publisher.publish(target, POST)
    assert published.thread_id is not None
    answers.threads.threads.add((Platform.SLACK, published.thread_id))
    return published.thread_id


async def test_a_reply_in_the_prompt_s_thread_is_routed_as_prompt_answer() -> None:
    async with answering() as (slack, sender, adapter, answers):
        thread_ts = await posted_prompt(adapter, answers)

        sent = await sender.thread_reply("SELECT * FROM orders", thread_ts)

        request = await answers.next_request()
        assert request.path == ("prompt", "answer")
        assert request.values == {"text": "SELECT * FROM orders"}
        assert request.event_id == f"event:{sent.sent['event_id']}"
        assert request.thread_id == thread_ts
        assert request.actor.user_id == "T0001:U_MEMBER"
        confirmed = await slack.wait_for_call("chat.postEphemeral")
        assert confirmed.args["thread_ts"] == thread_ts and confirmed.args["user"] == "U_MEMBER"
        assert "Answer recorded." in str(confirmed.args["blocks"])


async def test_a_redelivered_reply_is_routed_once() -> None:
    async with answering() as (slack, sender, adapter, answers):
        thread_ts = await posted_prompt(adapter, answers)
        first = await sender.thread_reply("my answer", thread_ts)
        await answers.next_request()
        await slack.wait_for_call("chat.postEphemeral")

        await sender.event(first.sent["event"], event_id=first.sent["event_id"], retry_num=1)

        assert await answers.threads.next_question() == thread_ts  # the first
        assert await answers.threads.next_question() == thread_ts  # the redelivery, looked at
        await adapter.in_flight.drain(5)
        assert answers.requests.empty()
        assert len(slack.calls_to("chat.postEphemeral")) == 1


async def test_a_reply_in_another_thread_is_not_an_answer() -> None:
    async with answering() as (_, sender, _adapter, answers):
        await sender.thread_reply("nice question", "1700000000.000100")
        assert await answers.threads.next_question() == "1700000000.000100"
        assert answers.requests.empty() and answers.chats.empty()


async def test_a_mention_in_the_prompt_s_thread_is_one_answer_not_a_chat() -> None:
    async with answering() as (_, sender, adapter, answers):
        thread_ts = await posted_prompt(adapter, answers)
        text = "<@U_BOT> my answer"

        await sender.app_mention(text, thread_ts=thread_ts)  # Slack sends both events
        assert await answers.threads.next_question() == thread_ts
        await sender.thread_reply(text, thread_ts)

        request = await answers.next_request()
        assert request.values == {"text": "my answer"}
        assert answers.chats.empty()


async def test_moderators_are_told_by_dm_when_a_group_is_set() -> None:
    async with FakeSlack() as slack:
        adapter = SlackAdapter(slack_options(slack, free_port(), moderator_group="S_MODS"), TABLE)
        reply = Reply(text="Daily prompts in this channel are paused.", title="Attention")

        told = await adapter.notifier.tell_moderators("T0001", "C_GENERAL", reply)

        assert told is True
        (opened,) = slack.calls_to("conversations.open")
        assert opened.args["users"] == "U_MOD"  # the one member of S_MODS
        (dm,) = slack.messages
        assert dm.channel == "D_MOD" and "paused" in str(dm.blocks)
        assert "Channel: <#C_GENERAL>" in str(dm.blocks)
        assert slack.errors == []


async def test_without_a_moderator_group_nobody_is_told() -> None:
    async with FakeSlack() as slack:
        adapter = SlackAdapter(slack_options(slack, free_port()), TABLE)
        assert not await adapter.notifier.tell_moderators("T0001", "C_GENERAL", Reply(text="x"))
        assert slack.calls == []
