"""The Discord prompt publisher: the real discord.py against the fake Discord."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy import select

from bot.adapters.discord.client import DiscordAdapter, DiscordOptions
from bot.adapters.discord.prompts import DiscordPromptPublisher
from bot.app import BotContext, open_bot
from bot.core.clock import FixedClock
from bot.core.messages import Platform
from bot.core.prompts.bank import Prompt
from bot.core.prompts.channels import PromptChannelService
from bot.core.prompts.ports import (
    ChannelSettings,
    ChannelTarget,
    ChannelUnavailable,
    DeliveryFailed,
    PostRecord,
    PostState,
    PromptChannel,
    PromptPost,
    RateLimited,
    ThreadNotCreated,
)
from bot.core.prompts.schedule import Schedule
from bot.platform_setup import discord_adapter, publishers_of, reach_of
from bot.serving import serve
from bot.storage.db import create_sessionmaker
from bot.storage.prompts.channels import SqlPromptChannels
from bot.storage.prompts.posts import SqlPromptPosts
from bot.storage.tables import LearningEventRow, PromptAnswerRow
from tests.adapters.test_discord import about_only, adapter_on, settings_on
from tests.adapters.thread_answers import TABLE, Answers
from tests.discord_fake import FakeDiscord, make_client_overrides

PROMPT = Prompt(
    "sql-joins-1",
    "Join two tables",
    "Write a query listing every order with its customer's name. <@&99> @everyone",
    "medium",
    ("sql", "databases"),
    hint="start from the orders table",
    example="SELECT ... FROM orders JOIN customers ...",
)
POST = PromptPost(PROMPT, date(2025, 6, 2))
MESSAGES = r"/channels/\d+/messages"
THREADS = r"/channels/\d+/messages/\d+/threads"
MISSING_PERMISSIONS = {"message": "Missing Permissions", "code": 50013}


class Posting:
    def __init__(self, fake: FakeDiscord, adapter: DiscordAdapter) -> None:
        self.fake, self.adapter = fake, adapter
        self.publisher = DiscordPromptPublisher(adapter.client)

    def target(self, role: str | None = None, channel: int | None = None) -> ChannelTarget:
        fake = self.fake
        return ChannelTarget(
            Platform.DISCORD, str(fake.guild_id), str(channel or fake.channel_id), role
        )


@pytest_asyncio.fixture(loop_scope="function")
async def posting(tmp_path: Path) -> AsyncIterator[Posting]:
    table, dispatcher = about_only()
    async with (
        FakeDiscord() as fake,
        adapter_on(fake, dispatcher, table, tmp_path / "sync") as adapter,
    ):
        await asyncio.wait_for(adapter.client.wait_until_ready(), 5)
        yield Posting(fake, adapter)
        assert fake.errors == []


async def test_the_prompt_is_an_embed_pinging_only_its_role_with_a_thread(
    posting: Posting,
) -> None:
    fake, role = posting.fake, str(posting.fake.learner_role_id)

    published = await posting.publisher.publish(posting.target(role), POST)

    (sent,) = fake.requests_matching("POST", MESSAGES)
    body = sent.json
    assert body["content"] == f"<@&{role}>"
    assert body["allowed_mentions"] == {"parse": [], "roles": [int(role)]}
    assert body["nonce"] and body["enforce_nonce"] is True
    (embed,) = body["embeds"]
    assert embed["title"] == "Daily prompt: Join two tables"
    assert embed["description"].startswith("Write a query listing every order")
    assert "@everyone" not in embed["description"] and "<@&99>" not in embed["description"]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields == {
        "Difficulty": "medium",
        "Topics": "sql, databases",
        "Example": PROMPT.example,
    }
    assert "start from the orders table" not in str(body)  # the hint stays hidden
    assert "sql-joins-1" in embed["footer"]["text"]
    assert "answer in the thread or with /prompt answer" in embed["footer"]["text"]

    (thread,) = fake.requests_matching("POST", THREADS)
    assert thread.path == f"/channels/{fake.channel_id}/messages/{published.message_id}/threads"
    assert thread.json["name"] == "Join two tables"
    assert thread.json["auto_archive_duration"] == 1440
    assert published.thread_id == thread.response["id"]
    assert published.message_id == sent.response["id"]


async def test_without_a_role_nobody_is_pinged(posting: Posting) -> None:
    await posting.publisher.publish(posting.target(), POST)
    (sent,) = posting.fake.requests_matching("POST", MESSAGES)
    assert "content" not in sent.json or not sent.json["content"]
    assert sent.json["allowed_mentions"] == {"parse": []}


async def test_the_everyone_role_is_never_pinged(posting: Posting) -> None:
    everyone = str(posting.fake.guild_id)  # @everyone has the guild's id
    await posting.publisher.publish(posting.target(everyone), POST)
    (sent,) = posting.fake.requests_matching("POST", MESSAGES)
    assert not sent.json.get("content")
    assert sent.json["allowed_mentions"] == {"parse": []}


async def test_the_same_day_always_sends_the_same_nonce(posting: Posting) -> None:
    for _ in range(2):
        await posting.publisher.publish(posting.target(), POST)
    first, second = posting.fake.requests_matching("POST", MESSAGES)
    assert first.json["nonce"] == second.json["nonce"] and len(first.json["nonce"]) <= 25
    other_day = PromptPost(PROMPT, date(2025, 6, 3))
    await posting.publisher.publish(posting.target(), other_day)
    assert posting.fake.requests_matching("POST", MESSAGES)[2].json["nonce"] != first.json["nonce"]


async def test_a_rate_limit_is_waited_out_and_the_prompt_posted_once(posting: Posting) -> None:
    fake = posting.fake
    fake.rate_limit_next("POST", MESSAGES, times=1, retry_after=0.05)

    published = await posting.publisher.publish(posting.target(), POST)

    tries = fake.requests_matching("POST", MESSAGES, include_rate_limited=True)
    assert [t.status for t in tries] == [429, 200]
    posted = [m for m in fake.messages if m["embeds"]]
    assert [m["id"] for m in posted] == [published.message_id]


async def test_a_rate_limit_discord_py_gives_up_on_is_rate_limited(posting: Posting) -> None:
    posting.fake.rate_limit_next("POST", MESSAGES, times=5, retry_after=0.01)
    with pytest.raises(RateLimited) as raised:
        await posting.publisher.publish(posting.target(), POST)
    assert raised.value.retry_after > 0
    assert [m for m in posting.fake.messages if m["embeds"]] == []


async def test_missing_permissions_make_the_channel_unavailable(posting: Posting) -> None:
    posting.fake.fail_next("POST", MESSAGES, 403, MISSING_PERMISSIONS)
    with pytest.raises(ChannelUnavailable) as raised:
        await posting.publisher.publish(posting.target(), POST)
    assert "lacks a permission" in raised.value.reason
    assert posting.fake.token not in raised.value.reason


async def test_a_deleted_channel_is_unavailable(posting: Posting) -> None:
    with pytest.raises(ChannelUnavailable) as raised:
        await posting.publisher.publish(posting.target(channel=4242), POST)
    assert "deleted" in raised.value.reason


async def test_a_server_error_is_a_failure_that_may_pass(posting: Posting) -> None:
    posting.fake.fail_next("POST", MESSAGES, 503, {"message": "Service Unavailable", "code": 0})
    with pytest.raises(DeliveryFailed) as raised:
        await posting.publisher.publish(posting.target(), POST)
    assert "503" in raised.value.reason


async def test_a_refused_thread_keeps_the_posted_message(posting: Posting) -> None:
    fake = posting.fake
    fake.fail_next("POST", THREADS, 403, MISSING_PERMISSIONS)

    with pytest.raises(ThreadNotCreated) as raised:
        await posting.publisher.publish(posting.target(), POST)

    (posted,) = [m for m in fake.messages if m["embeds"]]
    assert raised.value.message_id == posted["id"]
    assert "permission" in raised.value.reason


DUE = datetime(2025, 6, 2, 7, 0, tzinfo=UTC)  # 09:00 in Berlin


class WholeBot:
    def __init__(self, fake: FakeDiscord, bot: BotContext, clock: FixedClock) -> None:
        self.fake, self.bot, self.clock = fake, bot, clock
        self.sessions = create_sessionmaker(bot.engine)
        self.tick = bot.timers["daily-prompts"].run

    async def configure(self) -> PromptChannel:
        service = PromptChannelService(
            SqlPromptChannels(self.sessions), SqlPromptPosts(self.sessions)
        )
        fake = self.fake
        target = ChannelTarget(Platform.DISCORD, str(fake.guild_id), str(fake.channel_id))
        schedule = Schedule(at=time(9, 0), timezone="Europe/Berlin")
        return await service.configure(ChannelSettings(target, schedule), self.clock.now())

    async def post_of(self, channel: PromptChannel) -> PostRecord | None:
        return await SqlPromptPosts(self.sessions).find(channel.id, DUE.date())


@asynccontextmanager
async def whole_bot(tmp_path: Path, *, message_content: bool = False) -> AsyncIterator[WholeBot]:
    """The bot as `run` builds it, on the fake Discord, a minute before the prompt is due."""
    clock = FixedClock(DUE - timedelta(minutes=1))
    async with FakeDiscord() as fake:
        with make_client_overrides(fake):
            settings = settings_on(
                fake,
                tmp_path,
                discord_message_content=message_content,
            )
            adapter = discord_adapter(settings, guild_ready_timeout=0.1)
            publishers = publishers_of([adapter])
            async with open_bot(settings, clock, reach_of([adapter]), publishers) as bot:
                task = asyncio.create_task(serve(adapter, bot))
                try:
                    await asyncio.wait_for(adapter.client.wait_until_ready(), 5)
                    yield WholeBot(fake, bot, clock)
                finally:
                    await adapter.close()
                    await asyncio.wait_for(task, 5)
        assert fake.errors == []


async def test_a_due_channel_is_posted_once_by_the_whole_bot(tmp_path: Path) -> None:
    """End to end: a configured channel, the timer's ticks, the real adapter, one post."""
    async with whole_bot(tmp_path) as running:
        channel = await running.configure()
        assert await running.tick() == 0  # not due yet
        running.clock.advance(timedelta(minutes=1))
        assert await running.tick() == 1
        assert await running.tick() == 0
        post = await running.post_of(channel)
        fake = running.fake
    posted = fake.requests_matching("POST", MESSAGES)
    assert len(posted) == 1 and posted[0].json["embeds"][0]["title"].startswith("Daily prompt")
    assert post is not None and post.state is PostState.POSTED
    assert post.message_id == posted[0].response["id"]
    assert post.thread_id == fake.requests_matching("POST", THREADS)[0].response["id"]


async def test_a_reply_in_the_posted_thread_is_an_answer_that_counts_for_the_streak(
    tmp_path: Path,
) -> None:
    """End to end: the timer posts, a member replies in the thread, the answer and streak count."""
    async with whole_bot(tmp_path, message_content=True) as running:
        fake = running.fake
        channel = await running.configure()
        running.clock.advance(timedelta(minutes=1))
        assert await running.tick() == 1
        post = await running.post_of(channel)
        assert post is not None and post.thread_id is not None

        sent = await fake.send_message("SELECT * FROM orders", channel_id=int(post.thread_id))
        reply = await fake.wait_for_request("POST", rf"/channels/{post.thread_id}/messages")
        assert str(reply.json["message_reference"]["message_id"]) == sent["id"]
        assert reply.json["embeds"][0]["title"] == "Answer recorded"

        async with running.sessions() as session:
            answers = (await session.execute(select(PromptAnswerRow))).scalars().all()
            events = (await session.execute(select(LearningEventRow))).scalars().all()
        member = str(fake.member_user["id"])
        assert [(a.post_id, a.user_id, a.source) for a in answers] == [
            (post.id, member, f"message:{sent['id']}")
        ]
        assert [(e.user_id, e.kind, e.source) for e in events] == [
            (member, "prompt_answer", f"message:{sent['id']}")
        ]


async def test_an_unreachable_channel_is_paused_and_the_owner_told_once(tmp_path: Path) -> None:
    async with whole_bot(tmp_path) as running:
        fake = running.fake
        channel = await running.configure()
        fake.fail_next("POST", MESSAGES, 403, {"message": "Missing Access", "code": 50001})
        running.clock.advance(timedelta(minutes=1))

        assert await running.tick() == 0
        assert await running.tick() == 0

        post = await running.post_of(channel)
        assert post is not None and post.state is PostState.FAILED
        (opened,) = fake.requests_matching("POST", r"/users/@me/channels")
        assert str(opened.json["recipient_id"]) == fake.owner_user["id"]
        (dm,) = [m for m in fake.messages if m["channel_id"] != str(fake.channel_id)]
        embed = dm["embeds"][0]
        assert "paused" in embed["description"] and "Missing Access" in embed["description"]
        assert {"name": "Channel", "value": f"<#{fake.channel_id}>", "inline": False} in embed[
            "fields"
        ]


async def test_a_refused_thread_is_said_in_the_channel(tmp_path: Path) -> None:
    async with whole_bot(tmp_path) as running:
        fake = running.fake
        channel = await running.configure()
        fake.fail_next("POST", THREADS, 403, MISSING_PERMISSIONS)
        running.clock.advance(timedelta(minutes=1))

        assert await running.tick() == 1  # the prompt is out, without its thread

        post = await running.post_of(channel)
        assert post is not None and post.state is PostState.POSTED
        prompt, notice = [m for m in fake.messages if m["channel_id"] == str(fake.channel_id)]
        assert post.message_id == prompt["id"] and post.thread_id is None
        text = notice["embeds"][0]["description"]
        assert "answers thread not created" in text and "prompt answer" in text
        assert fake.requests_matching("POST", r"/users/@me/channels") == []


@asynccontextmanager
async def answering(
    tmp_path: Path, *, message_content: bool = True
) -> AsyncIterator[tuple[FakeDiscord, DiscordAdapter, Answers]]:
    """Run the adapter with a `prompt answer` command and known prompt threads."""
    answers = Answers()
    async with FakeDiscord() as fake:
        with make_client_overrides(fake):
            options = DiscordOptions(
                token=fake.token,
                api_base=fake.rest_base,
                gateway_url=str(fake.gateway_url),
                sync_state_file=tmp_path / "sync",
                guild_ready_timeout=0.1,
                message_content=message_content,
            )
            adapter = DiscordAdapter(options, TABLE)
            dispatcher = answers.dispatcher()
            task = asyncio.create_task(adapter.run(dispatcher.handle, {}, answers.threads))
            try:
                await asyncio.wait_for(adapter.client.wait_until_ready(), 5)
                yield fake, adapter, answers
            finally:
                await adapter.close()
                await asyncio.wait_for(task, 5)
        assert fake.errors == []


async def test_a_reply_in_the_prompt_s_thread_is_routed_as_prompt_answer(tmp_path: Path) -> None:
    async with answering(tmp_path) as (fake, adapter, answers):
        target = ChannelTarget(Platform.DISCORD, str(fake.guild_id), str(fake.channel_id))
        published = await DiscordPromptPublisher(adapter.client).publish(target, POST)
        assert published.thread_id is not None
        answers.threads.threads.add((Platform.DISCORD, published.thread_id))

        sent = await fake.send_message("SELECT * FROM orders", channel_id=int(published.thread_id))

        request = await answers.next_request()
        assert request.path == ("prompt", "answer")
        assert request.values == {"text": "SELECT * FROM orders"}
        assert request.event_id == f"message:{sent['id']}"
        assert request.thread_id == published.thread_id
        assert request.actor.user_id == str(fake.member_user["id"])
        reply = await fake.wait_for_request("POST", rf"/channels/{published.thread_id}/messages")
        assert reply.json["embeds"][0]["description"] == "Answer recorded."
        assert str(reply.json["message_reference"]["message_id"]) == sent["id"]


async def test_a_reply_in_another_thread_is_not_an_answer(tmp_path: Path) -> None:
    async with answering(tmp_path) as (fake, _, answers):
        parent = fake.world.channel(fake.channel_id)
        assert parent is not None
        other = fake.world.make_thread(parent, fake.world.new_id(), "a question")
        bot = fake.bot_user
        await fake.send_message(
            f"<@{bot['id']}> what is a join?", channel_id=int(other["id"]), mentions=[bot]
        )
        assert await answers.next_chat() == "what is a join?"  # a mention, answered as before
        assert answers.threads.asked == [(Platform.DISCORD, other["id"])]
        assert answers.requests.empty()


async def test_a_message_in_a_text_channel_costs_no_thread_look_up(tmp_path: Path) -> None:
    async with answering(tmp_path) as (fake, _, answers):
        bot = fake.bot_user
        await fake.send_message(f"<@{bot['id']}> hello", mentions=[bot])
        assert await answers.next_chat() == "hello"
        assert answers.threads.asked == []


async def test_without_message_content_only_a_mentioning_reply_is_read(tmp_path: Path) -> None:
    async with answering(tmp_path, message_content=False) as (fake, adapter, answers):
        target = ChannelTarget(Platform.DISCORD, str(fake.guild_id), str(fake.channel_id))
        published = await DiscordPromptPublisher(adapter.client).publish(target, POST)
        assert published.thread_id is not None
        answers.threads.threads.add((Platform.DISCORD, published.thread_id))
        thread, bot = int(published.thread_id), fake.bot_user

        await fake.send_message("blanked by Discord", channel_id=thread)
        await fake.send_message(f"<@{bot['id']}> my answer", channel_id=thread, mentions=[bot])

        request = await answers.next_request()
        assert request.values == {"text": "my answer"}
        assert answers.requests.empty() and answers.chats.empty()
