"""The real slack-bolt, served over HTTP, against a fake Slack on 127.0.0.1: end to end."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import select

from bot.adapters.slack.adapter import Handle, SlackAdapter, SlackOptions
from bot.app import BotContext, open_bot
from bot.config import load_settings
from bot.core.catalog import COMMANDS
from bot.core.commands import Access, Command, CommandTable
from bot.core.dispatcher import Dispatcher
from bot.core.messages import Actor, Platform, Reply
from bot.core.prompts.ports import PromptThreads
from bot.core.requests import Request
from bot.core.router import Router
from bot.platform_setup import publishers_of, reach_of, slack_adapter
from bot.storage.db import create_sessionmaker
from bot.storage.tables import LearningEventRow, PromptAnswerRow
from tests.fakes import FakeEventLog, FakeSpaceRepository
from tests.slack_fake import FakeSlack, SlackRequests

SUGGESTION = "prompt suggest title:Undo a commit body:Wrong branch. difficulty:medium topics:git"
MENTOR = (
    "mentor signup topics:git,databases experience:web hours:Mon-Thu 18:00-20:00 "
    "timezone:Europe/Berlin"
)
# A valid `/roadmap` line for every command of the table, and whether its answer is private.
INVOCATIONS: dict[str, tuple[str, bool]] = {
    "ask question": ("ask what is docker?", False),
    "ask feedback": ("ask feedback 1 yes", True),
    "ask stats": ("ask stats week", True),
    "config ask": ("config ask keep-declined:on", True),
    "roadmap": ("roadmap databases", False),
    "next": ("next", True),
    "progress": ("progress git done", True),
    "resources": ("resources databases", True),
    "help": ("help", False),
    "timezone": ("timezone Europe/Berlin", True),
    "checkin": ("checkin 30 sql joins", True),
    "streak": ("streak", True),
    "leaderboard": ("leaderboard month minutes", False),
    "reminders": ("reminders on", True),
    "privacy": ("privacy leaderboard off", True),
    "about": ("about", False),
    "config show": ("config show", True),
    "config streaks": ("config streaks reminder-hour 21", True),
    "config prompts set": ("config prompts time:09:00 days:mon-fri", True),
    "config prompts off": ("config prompts off", True),
    "config prompts skip": ("config prompts skip sat", True),
    "config prompts pause": ("config prompts pause until:2099-01-07", True),
    "config prompts resume": ("config prompts resume", True),
    "prompt today": ("prompt", False),
    "prompt hint": ("prompt hint", True),
    "prompt answer": ("prompt answer a set, then its size", True),
    "prompt answers": ("prompt answers", False),
    "prompt history": ("prompt history 5", False),
    "prompt preview": ("prompt preview", True),
    "prompt skip": ("prompt skip", True),
    "prompt post-now": ("prompt post-now", True),
    "prompt status": ("prompt status", True),
    "prompt add": (
        "prompt add title:Count rows body:How many rows? difficulty:easy topics:sql",
        True,
    ),
    "prompt retire": ("prompt retire sql-top-customers", True),
    "prompt restore": ("prompt restore sql-top-customers", True),
    "prompt suggest": (SUGGESTION, True),
    "prompt suggestions": ("prompt suggestions", True),
    "prompt approve": ("prompt approve custom-1", True),
    "prompt reject": ("prompt reject custom-1 we have one like it", True),
    "mentor signup": (MENTOR, True),
    "mentor edit": ("mentor edit capacity:3 hours:Sat 10:00-12:00", True),
    "mentor profile": ("mentor profile", True),
    "mentor pause": ("mentor pause until:2099-01-07", True),
    "mentor resume": ("mentor resume", True),
    "mentor leave": ("mentor leave confirm", True),
    "mentor block": ("mentor block <@U_ADMIN>", True),
    "mentor unblock": ("mentor unblock <@U_ADMIN>", True),
    "mentor request": ("mentor request git I cannot undo a pushed commit safely", True),
    "mentor status": ("mentor status", True),
    "mentor cancel": ("mentor cancel git", True),
    "mentor accept": ("mentor accept 1", True),
    "mentor decline": ("mentor decline 1", True),
    "mentor met": ("mentor met 1 yes", True),
    "mentor stats": ("mentor stats", True),
    "config mentoring": ("config mentoring deadline:72h", True),
    "config pairing set": ("config pairing at:mon 18:00 every:2w", True),
    "config pairing off": ("config pairing off", True),
    "pairing status": ("pairing", True),
    "pairing join": ("pairing join", True),
    "pairing leave": ("pairing leave", True),
    "pairing snooze": ("pairing snooze until:2099-01-07", True),
    "pairing skip": ("pairing skip", True),
    "pairing met": ("pairing met yes", True),
    "pairing preview": ("pairing preview", True),
    "pairing roster": ("pairing roster", True),
}
# The mentor profile side's paths: each needs the member signed up as a mentor first.
MENTOR_SIDE = {"mentor edit", "mentor profile", "mentor pause", "mentor resume", "mentor leave",
               "mentor unblock"}  # fmt: skip
# What `prompt approve`, `reject` and `restore` need first: a suggestion, a retired prompt.
BEFORE = {"prompt approve": SUGGESTION, "prompt reject": SUGGESTION,
          "prompt restore": "prompt retire sql-top-customers",
          "mentor resume": "mentor pause"}  # fmt: skip


def prompt_setup(key: str) -> list[str]:
    """Return what a path needs first: a prompt's channel and post, a mentor's signup."""
    if key in MENTOR_SIDE:
        first = "mentor block <@U_ADMIN>" if key == "mentor unblock" else MENTOR
        return [first, BEFORE[key]] if key in BEFORE else [first]
    if key == "mentor cancel":
        return [INVOCATIONS["mentor request"][0]]
    if key == "ask feedback":
        return [INVOCATIONS["ask question"][0]]  # answer number 1, in the channel
    if key.startswith(("pairing", "config pairing")) and key != "config pairing set":
        return ["config pairing at:mon 18:00"]  # rounds in the channel
    if not key.startswith(("prompt", "config prompts")) or key == "config prompts set":
        return []
    steps = ["config prompts time:09:00"]
    steps = steps if key == "prompt post-now" else [*steps, "prompt post-now"]
    return [*steps, BEFORE[key]] if key in BEFORE else steps


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def wait_for_port(port: int, timeout: float = 10.0) -> None:
    """Wait until the bot's HTTP listener accepts connections."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.02)
        else:
            writer.close()
            await writer.wait_closed()
            return


class Running:
    def __init__(
        self,
        slack: FakeSlack,
        sender: SlackRequests,
        bot: BotContext | None,
        adapter: SlackAdapter | None = None,
    ) -> None:
        self.slack, self.sender, self.bot, self.adapter = slack, sender, bot, adapter

    async def command(self, text: str, user_id: str = "U_MEMBER", count: int = 1) -> Any:
        status, _ = await self.sender.slash_command("/roadmap", text, user_id=user_id)
        assert status == 200
        return (await self.slack.wait_for_response("default", count=count)).json


def slack_options(slack: FakeSlack, port: int, **extra: Any) -> SlackOptions:
    """Return options for the HTTP adapter on 127.0.0.1:port, talking to the fake Slack."""
    return SlackOptions(
        bot_token=slack.bot_token,
        signing_secret=slack.signing_secret,
        api_base=slack.api_base,
        host="127.0.0.1",
        port=port,
        **extra,
    )


@asynccontextmanager
async def serving(
    adapter: SlackAdapter, port: int, handle: Handle, threads: PromptThreads | None = None
) -> AsyncIterator[str]:
    task = asyncio.create_task(adapter.run(handle, threads))
    try:
        await wait_for_port(port)
        yield f"http://127.0.0.1:{port}/slack/events"
    finally:
        await adapter.close()
        await asyncio.wait_for(task, 5)


@asynccontextmanager
async def bot_on(slack: FakeSlack, tmp_path: Path) -> AsyncIterator[Running]:
    """Run the whole bot's Slack adapter over HTTP against `slack`, on a SQLite file."""
    port = free_port()
    settings = load_settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        data_dir=tmp_path / "data",
        slack_bot_token=slack.bot_token,
        slack_signing_secret=slack.signing_secret,
        slack_api_base=slack.api_base,
        slack_host="127.0.0.1",
        slack_port=port,
    )
    adapter = slack_adapter(settings)
    publishers = publishers_of([adapter])  # Slack's own: `prompt post-now` posts to the fake
    async with (
        open_bot(settings, reach=reach_of([adapter]), prompt_publishers=publishers) as bot,
        serving(adapter, port, bot.dispatcher.handle, bot.prompt_threads) as endpoint,
        slack.signed_requests(endpoint) as sender,
    ):
        yield Running(slack, sender, bot, adapter)


@pytest_asyncio.fixture(loop_scope="function")
async def running(tmp_path: Path) -> AsyncIterator[Running]:
    async with FakeSlack() as slack, bot_on(slack, tmp_path) as running:
        yield running


def test_every_table_command_has_a_slack_route() -> None:
    assert set(INVOCATIONS) == {p.key for p in COMMANDS.runnable()}


@pytest.mark.parametrize("name", list(INVOCATIONS))
async def test_every_command_answers_through_the_slash_command(running: Running, name: str) -> None:
    line, private = INVOCATIONS[name]
    steps = prompt_setup(name)
    # A mentor's steps are the member's own (the profile is theirs); prompts' a moderator's.
    setup_user = "U_MEMBER" if name.startswith("mentor") else "U_ADMIN"
    for count, step in enumerate(steps, start=1):
        done = await running.command(step, user_id=setup_user, count=count)
        assert "Only moderators" not in done["text"]
        assert done["response_type"] == "ephemeral" or step.startswith("ask")
    moderator = COMMANDS.path(name).access is Access.MODERATOR  # type: ignore[union-attr]
    user = "U_ADMIN" if moderator else "U_MEMBER"
    body = await running.command(line, user_id=user, count=len(steps) + 1)
    assert "Only moderators" not in body["text"] and "no daily prompts" not in body["text"]
    assert "I have no answer number" not in body["text"]
    assert body["response_type"] == ("ephemeral" if private else "in_channel")
    assert body["blocks"] and body["text"]
    assert "<!here>" not in str(body) and "<!channel>" not in str(body)


async def test_help_lists_the_subcommands(running: Running) -> None:
    body = await running.command("")
    text = str(body["blocks"])
    assert "/roadmap" in text and all(f"`{c.name}" in text for c in COMMANDS.visible_to(False))
    assert "`config" not in text  # moderators' commands are listed to moderators only


async def test_a_mention_is_answered_in_its_thread(running: Running) -> None:
    await running.sender.app_mention("wat is dokcer <!everyone>", ts="1700000000.000100")
    posted = await running.slack.wait_for_call("chat.postMessage")
    assert posted.args["thread_ts"] == "1700000000.000100"
    text = str(posted.args["blocks"]) + posted.args["text"]
    assert "docker" in text.lower() and "<!everyone>" not in text


async def test_a_retried_event_acts_once(running: Running) -> None:
    first = await running.sender.app_mention("what is git?")
    event_id = first.sent["event_id"]
    await running.slack.wait_for_call("chat.postMessage")
    retry = await running.sender.event(first.sent["event"], event_id=event_id, retry_num=1)
    assert retry.status == 200
    with pytest.raises(TimeoutError):
        await running.slack.wait_for_call("chat.postMessage", timeout=0.5, count=2)


async def test_a_direct_message_is_answered(running: Running) -> None:
    await running.sender.direct_message("how long does it take?")
    posted = await running.slack.wait_for_call("chat.postMessage")
    assert posted.args["channel"] == "D_MEMBER" and "thread_ts" in posted.args


async def test_app_home_is_published_and_refreshed(running: Running) -> None:
    await running.sender.app_home_opened()
    home = await running.slack.wait_for_call("views.publish")
    assert home.args["user_id"] == "U_MEMBER" and home.args["view"]["type"] == "home"
    await running.command("progress git done")
    refreshed = await running.slack.wait_for_call("views.publish", count=2)
    assert "1/" in str(refreshed.args["view"]["blocks"])


async def test_aliases_work_on_slack_and_refresh_app_home(running: Running) -> None:
    """`/roadmap tz` is `timezone`: answered, and personal, so App Home is republished."""
    body = await running.command("tz Europe/Berlin")
    assert "Europe/Berlin" in str(body["blocks"])
    await running.slack.wait_for_call("views.publish")
    helped = await running.command("commands", count=2)
    assert "/roadmap" in str(helped)  # the Slack hint comes with help's alias too


async def test_a_button_runs_its_command_for_the_clicker(running: Running) -> None:
    body = await running.command("roadmap git")
    buttons = [e for b in body["blocks"] if b["type"] == "actions" for e in b["elements"]]
    done = next(b for b in buttons if b.get("value") == "progress git done")
    status, _ = await running.sender.block_action(done["action_id"], done["value"])
    assert status == 200
    answer = await running.slack.wait_for_response("default", count=2)
    assert "done" in str(answer.json["blocks"])


@pytest.mark.parametrize("tamper", [{"bad_signature": True}, {"age": 6 * 60}])
async def test_unsigned_or_stale_requests_are_refused(
    running: Running, tamper: dict[str, Any]
) -> None:
    reply = await running.sender.slash_command("/roadmap", "about", **tamper)
    assert reply.status == 401
    assert running.slack.responses("default") == []


async def test_non_admins_are_refused_moderator_commands(tmp_path: Path) -> None:
    calls: list[str] = []

    async def purge(request: Request) -> Reply:
        calls.append(request.actor.user_id)
        return Reply(text="purged")

    async def chat(actor: Actor, text: str) -> Reply:
        return Reply(text="chat")

    table = CommandTable([Command("purge", "Moderators only.", access=Access.MODERATOR)])
    dispatcher = Dispatcher(
        Router(table, {"purge": purge}, chat), FakeEventLog(), FakeSpaceRepository()
    )
    async with FakeSlack() as slack:
        port = free_port()
        adapter = SlackAdapter(slack_options(slack, port, moderator_group="S_MODS"), table)
        async with (
            serving(adapter, port, dispatcher.handle) as endpoint,
            slack.signed_requests(endpoint) as sender,
        ):
            running = Running(slack, sender, None)
            refused = await running.command("purge", user_id="U_MEMBER")
            assert "moderators" in str(refused["blocks"]).lower()
            await running.command("purge", user_id="U_ADMIN", count=2)
            assert calls == ["T0001:U_ADMIN"]


async def test_roadmap_bot_run_serves_slack_as_a_subprocess(tmp_path: Path) -> None:
    """The real CLI, configured only through settings, answers signed requests over HTTP."""
    async with FakeSlack() as slack:
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
        env |= {
            "BOT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            "BOT_DATA_DIR": str(tmp_path / "data"),
            "BOT_SLACK_BOT_TOKEN": slack.bot_token,
            "BOT_SLACK_SIGNING_SECRET": slack.signing_secret,
            "BOT_SLACK_API_BASE": slack.api_base,
            "BOT_SLACK_HOST": "127.0.0.1",
            "BOT_SLACK_PORT": str(port),
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--log-json",
            env=env, cwd=tmp_path, stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            await wait_for_port(port, timeout=30)
            async with slack.signed_requests(f"http://127.0.0.1:{port}/slack/events") as sender:
                status, _ = await sender.slash_command("/roadmap", "timezone Asia/Tokyo")
                assert status == 200
                body = (await slack.wait_for_response("default", timeout=10)).json
                assert "Asia/Tokyo" in str(body["blocks"])
        finally:
            process.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(process.communicate(), 20)
        assert process.returncode == 0, stderr.decode()[-2000:]
        assert slack.bot_token not in stderr.decode()


async def test_the_notifier_posts_to_channels_and_members() -> None:
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.adapters.slack.notifier import SlackNotifier
    from bot.core.ports import MemberKey

    async with FakeSlack() as slack:
        notifier = SlackNotifier(AsyncWebClient(token=slack.bot_token, base_url=slack.api_base))
        await notifier.post("T0001", "C_GENERAL", Reply(text="Today's prompt @here"))
        await notifier.direct(MemberKey(Platform.SLACK, "T0001:U_MEMBER"), Reply(text="Hi"))
        posts = slack.calls_to("chat.postMessage")
        assert [p.args["channel"] for p in posts] == ["C_GENERAL", "D_MEMBER"]
        assert "@here" not in posts[0].args["text"] and "<!here>" not in str(posts[0].args)


async def test_close_during_start_leaves_no_listener_behind() -> None:
    """Another platform failing at login closes Slack while it is still starting."""
    async with FakeSlack() as slack:
        port = free_port()
        adapter = SlackAdapter(slack_options(slack, port), COMMANDS)

        async def handle(incoming: Any) -> None:
            return None

        task = asyncio.create_task(adapter.run(handle))
        await asyncio.sleep(0)  # run() has begun starting its listener
        await adapter.close(drain_seconds=1)
        await asyncio.wait_for(task, 5)
        with pytest.raises(OSError):
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()


async def test_a_reply_in_the_posted_thread_is_an_answer_that_counts_for_the_streak(
    running: Running,
) -> None:
    """End to end: a moderator sets up and posts; a member replies in the prompt's thread."""
    await running.command("config prompts time:09:00", user_id="U_ADMIN")
    await running.command("prompt post-now", user_id="U_ADMIN", count=2)
    posted = await running.slack.wait_for_call(
        "chat.postMessage", lambda c: "Reply in this thread" in str(c.args.get("blocks"))
    )
    thread_ts = str(posted.response["ts"])

    await running.sender.thread_reply("SELECT name FROM users", thread_ts, ts="1800000000.000200")
    confirmed = await running.slack.wait_for_call("chat.postEphemeral")
    assert confirmed.args["thread_ts"] == thread_ts and confirmed.args["user"] == "U_MEMBER"

    assert running.bot is not None
    sessions = create_sessionmaker(running.bot.engine)
    async with sessions() as session:
        answers = (await session.execute(select(PromptAnswerRow))).scalars().all()
        events = (await session.execute(select(LearningEventRow))).scalars().all()
    assert [a.user_id for a in answers] == ["T0001:U_MEMBER"]
    assert [(e.user_id, e.kind) for e in events] == [("T0001:U_MEMBER", "prompt_answer")]
