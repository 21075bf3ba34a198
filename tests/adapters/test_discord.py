"""The real discord.py against a fake Discord on 127.0.0.1: every command, end to end."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.adapters.discord.client import DiscordAdapter, DiscordOptions
from bot.app import BotContext, open_bot
from bot.config import Settings, load_settings
from bot.core.catalog import COMMANDS
from bot.core.commands import Access, Command, CommandTable
from bot.core.dispatcher import Dispatcher
from bot.core.messages import Actor, Platform, Reply
from bot.core.requests import Request
from bot.core.router import Router
from bot.platform_setup import completers, discord_adapter, reach_of
from bot.serving import serve
from tests.discord_fake import FakeDiscord, make_client_overrides
from tests.fakes import FakeEventLog, FakeSpaceRepository
from tests.storage.prompt_kit import ScriptedPublisher

SUGGESTION = {"title": "Undo a commit", "body": "Wrong branch.", "difficulty": "medium",
              "topics": "git"}  # fmt: skip
MENTOR = {"topics": "git, databases", "experience": "web", "hours": "Mon-Thu 18:00-20:00",
          "timezone": "Europe/Berlin"}  # fmt: skip
# A valid invocation of every command of the table: (options, must it be private?)
INVOCATIONS: dict[str, tuple[dict[str, Any], bool]] = {
    "ask question": ({"question": "what is docker?"}, False),
    "ask feedback": ({"answer": 1, "helpful": "yes"}, True),
    "ask stats": ({"period": "week"}, True),
    "config ask": ({"keep_declined": "on"}, True),
    "roadmap": ({"topic": "databases"}, False),
    "next": ({}, True),
    "progress": ({"topic": "git", "status": "done"}, True),
    "resources": ({"query": "databases"}, True),
    "help": ({"command": "timezone"}, False),
    "timezone": ({"zone": "Europe/Berlin"}, True),
    "checkin": ({"minutes": "30", "note": "sql joins"}, True),
    "streak": ({}, True),
    "leaderboard": ({"period": "week", "metric": "minutes"}, False),
    "reminders": ({"switch": "on"}, True),
    "privacy": ({"setting": "leaderboard", "value": "off"}, True),
    "about": ({}, False),
    "config show": ({}, True),
    "config streaks": ({"setting": "reminder-hour", "value": "21"}, True),
    "config prompts set": ({"time": "09:00", "days": "mon-fri"}, True),
    "config prompts off": ({}, True),
    "config prompts skip": ({"day": "sat"}, True),
    "config prompts pause": ({"until": "2099-01-07"}, True),
    "config prompts resume": ({}, True),
    "prompt today": ({}, False),
    "prompt hint": ({}, True),
    "prompt answer": ({"text": "a set, then its size"}, True),
    "prompt answers": ({}, False),
    "prompt history": ({"count": 5}, False),
    "prompt preview": ({}, True),
    "prompt skip": ({}, True),
    "prompt post-now": ({}, True),
    "prompt status": ({}, True),
    "prompt add": (
        {"title": "Count rows", "body": "How many rows?", "difficulty": "easy", "topics": "sql"},
        True,
    ),
    "prompt retire": ({"id": "sql-top-customers"}, True),
    "prompt restore": ({"id": "sql-top-customers"}, True),
    "prompt suggest": (SUGGESTION, True),
    "prompt suggestions": ({}, True),
    "prompt approve": ({"id": "custom-1"}, True),
    "prompt reject": ({"id": "custom-1", "reason": "we have one like it"}, True),
    "mentor signup": (MENTOR, True),
    "mentor edit": ({"capacity": 3, "hours": "Sat 10:00-12:00"}, True),
    "mentor profile": ({}, True),
    "mentor pause": ({"until": "2099-01-07"}, True),
    "mentor resume": ({}, True),
    "mentor leave": ({"confirm": "confirm"}, True),
    "mentor block": ({"member": "@moderator"}, True),
    "mentor unblock": ({"member": "@moderator"}, True),
    "mentor request": ({"topic": "git", "context": "I cannot undo a pushed commit safely"}, True),
    "mentor status": ({}, True),
    "mentor cancel": ({"topic": "git"}, True),
    "mentor accept": ({"id": 1}, True),
    "mentor decline": ({"id": 1}, True),
    "mentor met": ({"id": 1, "answer": "yes"}, True),
    "mentor stats": ({}, True),
    "config mentoring": ({"deadline": "72h"}, True),
    "config pairing set": ({"at": "mon 18:00", "every": "2w"}, True),
    "config pairing off": ({}, True),
    "pairing status": ({}, True),
    "pairing join": ({}, True),
    "pairing leave": ({}, True),
    "pairing snooze": ({"until": "2099-01-07"}, True),
    "pairing skip": ({}, True),
    "pairing met": ({"answer": "yes"}, True),
    "pairing preview": ({}, True),
    "pairing roster": ({}, True),
}
# Nobody can offer or pair here (no mentor profiles yet): these answer with a private refusal.
REFUSED = {"mentor accept", "mentor decline", "mentor met"}
# The mentor profile side's paths: each needs the member signed up as a mentor first.
MENTOR_SIDE = {"mentor edit", "mentor profile", "mentor pause", "mentor resume", "mentor leave",
               "mentor unblock"}  # fmt: skip
# What `prompt approve`, `reject` and `restore` need first: a suggestion, a retired prompt.
BEFORE: dict[str, tuple[str, dict[str, Any]]] = {
    "prompt approve": ("prompt suggest", SUGGESTION),
    "prompt reject": ("prompt suggest", SUGGESTION),
    "prompt restore": ("prompt retire", {"id": "sql-top-customers"}),
    "mentor resume": ("mentor pause", {}),
    "mentor cancel": ("mentor request", INVOCATIONS["mentor request"][0]),
    "ask feedback": ("ask question", INVOCATIONS["ask question"][0]),  # answer number 1
}


def prompt_setup(key: str) -> list[tuple[str, dict[str, Any]]]:
    """Return what a path needs first: a prompt's channel and post, a mentor's signup."""
    if key == "ask feedback":
        return [BEFORE[key]]
    if key in MENTOR_SIDE:
        signup = ("mentor signup", MENTOR)
        first = {"mentor unblock": ("mentor block", {"member": "@moderator"})}.get(key, signup)
        return [first, BEFORE[key]] if key in BEFORE else [first]
    if key.startswith("mentor"):
        return [BEFORE[key]] if key in BEFORE else []
    if key.startswith(("pairing", "config pairing")) and key != "config pairing set":
        return [("config pairing set", {"at": "mon 18:00"})]  # rounds in the channel
    if not key.startswith(("prompt", "config prompts")) or key == "config prompts set":
        return []
    steps: list[tuple[str, dict[str, Any]]] = [("config prompts set", {"time": "09:00"})]
    steps = steps if key == "prompt post-now" else [*steps, ("prompt post-now", {})]
    return [*steps, BEFORE[key]] if key in BEFORE else steps


def slash(key: str) -> dict[str, str]:
    """Return send_interaction's names for a path: `config streaks` is /config, sub streaks."""
    names = key.split()
    named = {"name": names[0], "subcommand": names[-1]} if len(names) > 1 else {"name": key}
    return named | ({"group": names[1]} if len(names) == 3 else {})


class Running:
    def __init__(self, fake: FakeDiscord, adapter: DiscordAdapter, bot: BotContext) -> None:
        self.fake, self.adapter, self.bot = fake, adapter, bot

    async def command(self, name: str, **kwargs: Any) -> dict[str, Any]:
        sent = await self.fake.send_interaction(name, **kwargs)
        response = await self.fake.wait_for_interaction_response(sent)
        return response.json


def settings_on(fake: FakeDiscord, folder: Path, db_name: str = "bot", **extra: Any) -> Settings:
    """Return settings for a bot on fake Discord, with its SQLite file and data in folder."""
    return load_settings(
        database_url=f"sqlite+aiosqlite:///{folder / db_name}.db",
        data_dir=folder / "data",
        discord_token=fake.token,
        discord_api_base=fake.rest_base,
        discord_gateway_url=str(fake.gateway_url),
        **extra,
    )


@pytest_asyncio.fixture(loop_scope="function")
async def running(tmp_path: Path) -> AsyncIterator[Running]:
    async with FakeDiscord() as fake:
        with make_client_overrides(fake):
            settings = settings_on(
                fake,
                tmp_path,
            )
            adapter = discord_adapter(settings, guild_ready_timeout=0.1)
            # A scripted publisher stands in for Discord's, so `prompt post-now` posts.
            publishers = {Platform.DISCORD: ScriptedPublisher()}
            async with open_bot(
                settings, reach=reach_of([adapter]), prompt_publishers=publishers
            ) as bot:
                task = asyncio.create_task(serve(adapter, bot))
                try:
                    await fake.wait_until_identified()
                    yield Running(fake, adapter, bot)
                finally:
                    await adapter.close()
                    await asyncio.wait_for(task, 5)


def test_every_table_command_has_a_discord_command() -> None:
    import discord
    from discord import app_commands

    tree = app_commands.CommandTree(discord.Client(intents=discord.Intents.none()))
    from bot.adapters.discord.commands import register

    async def run(interaction: Any, line: str, share: bool) -> None:
        return None

    register(tree, COMMANDS, run, {})
    assert {c.name for c in tree.get_commands()} == {c.name for c in COMMANDS}
    assert set(INVOCATIONS) == {p.key for p in COMMANDS.runnable()}


@pytest.mark.parametrize("name", list(INVOCATIONS))
async def test_every_command_answers_through_an_interaction(running: Running, name: str) -> None:
    options, private = INVOCATIONS[name]
    as_moderator = {"user": running.fake.moderator_user, "permissions": 1 << 5}

    def typed(given: dict[str, Any]) -> dict[str, Any]:
        return {k: running.fake.moderator_user if v == "@moderator" else v
                for k, v in given.items()}  # fmt: skip

    options = typed(options)
    for step, step_options in prompt_setup(name):
        who = {} if step.startswith("mentor") else as_moderator  # the member's own steps
        done = await running.command(**slash(step), options=typed(step_options), **who)
        assert done["data"]["embeds"][0].get("color") != 0xC0392B, (step, done)
    moderator = COMMANDS.path(name).access is Access.MODERATOR  # type: ignore[union-attr]
    extra = as_moderator if moderator else {}
    body = await running.command(**slash(name), options=options, **extra)
    assert body["type"] == 4
    embeds = body["data"]["embeds"]
    assert embeds and (embeds[0].get("title") or embeds[0].get("description"))
    assert (embeds[0].get("color") == 0xC0392B) is (name in REFUSED), embeds[0]
    assert bool(body["data"].get("flags", 0) & 64) is private
    assert body["data"]["allowed_mentions"] == {"parse": []}


async def test_commands_are_synced_once_and_not_again_when_unchanged(running: Running) -> None:
    synced = running.fake.requests_matching("PUT", r"/applications/\d+/commands")
    assert len(synced) == 1 and len(synced[0].json) == len(COMMANDS)
    await running.adapter.sync_if_changed(running.adapter.client.tree)
    assert len(running.fake.requests_matching("PUT", r"/applications/\d+/commands")) == 1


async def test_config_is_synced_as_a_group_of_slash_subcommands(running: Running) -> None:
    synced = running.fake.requests_matching("PUT", r"/applications/\d+/commands")[0].json
    config = next(c for c in synced if c["name"] == "config")
    subcommands = {o["name"]: o for o in config["options"]}
    assert set(subcommands) == {"show", "streaks", "prompts", "mentoring", "pairing", "ask"}
    types = {name: o["type"] for name, o in subcommands.items()}
    # SUB_COMMAND 1, SUB_COMMAND_GROUP 2
    assert types == {
        "show": 1, "streaks": 1, "prompts": 2, "mentoring": 1, "pairing": 2, "ask": 1
    }  # fmt: skip
    streaks = {o["name"]: o for o in subcommands["streaks"]["options"]}
    assert set(streaks) == {"setting", "value"}
    assert {c["value"] for c in streaks["setting"]["choices"]} >= {"freeze-every", "timezone"}


async def test_a_subcommand_runs_with_its_typed_options(running: Running) -> None:
    moderator = {"user": running.fake.moderator_user, "permissions": 1 << 5}
    options = {"setting": "max-freezes", "value": "4"}
    body = await running.command("config", subcommand="streaks", options=options, **moderator)
    fields = {f["name"]: f["value"] for f in body["data"]["embeds"][0]["fields"]}
    assert fields["max-freezes"] == "4"
    shown = await running.command("config", subcommand="show", **moderator)
    sections = {f["name"]: f["value"] for f in shown["data"]["embeds"][0]["fields"]}
    assert "max-freezes: 4" in sections["Streaks"]
    refused = await running.command("config", subcommand="show")  # not a moderator
    assert refused["data"]["embeds"][0].get("color") == 0xC0392B


def test_the_sync_digest_changes_with_the_shape_of_a_group() -> None:
    import discord
    from discord import app_commands

    from bot.adapters.discord.command_sync import tree_digest
    from bot.adapters.discord.commands import register

    async def run(interaction: Any, line: Any, share: bool) -> None:
        return None

    def digest(*subcommands: Command) -> str:
        tree = app_commands.CommandTree(discord.Client(intents=discord.Intents.none()))
        register(tree, CommandTable([Command("grp", "A group.", subcommands=subcommands)]), run, {})
        return tree_digest(tree, "global")

    one, two = Command("one", "One."), Command("two", "Two.")
    assert digest(one) == digest(one)
    assert len({digest(one), digest(one, two), digest(two)}) == 3


async def test_topic_and_timezone_autocomplete(running: Running) -> None:
    topic = await running.command("progress", options={"topic": "dock"}, type=4, focused="topic")
    assert topic["type"] == 8
    assert "containers" in [c["value"] for c in topic["data"]["choices"]]
    zone = await running.command("timezone", options={"zone": "berl"}, type=4, focused="zone")
    assert "Europe/Berlin" in [c["value"] for c in zone["data"]["choices"]]


async def test_progress_is_stored_and_shown_privately(running: Running) -> None:
    await running.command("progress", options={"topic": "git", "status": "done"})
    body = await running.command("progress")
    fields = {f["name"]: f["value"] for f in body["data"]["embeds"][0]["fields"]}
    assert "(1/" in fields["Foundations"] and body["data"]["flags"] & 64


async def test_a_repeated_interaction_id_acts_once(running: Running) -> None:
    first = await running.fake.send_interaction("about", interaction_id=777)
    await running.fake.wait_for_interaction_response(first)
    again = await running.fake.send_interaction("about", interaction_id=777)
    with pytest.raises(TimeoutError):
        await running.fake.wait_for_request("POST", again.callback_path, timeout=0.5, count=2)


async def test_a_mention_is_answered_in_a_thread_without_pinging(running: Running) -> None:
    fake = running.fake
    question = await fake.send_message(
        f"<@{fake.bot_user['id']}> @everyone what is docker?", mentions=[fake.bot_user]
    )
    thread = await fake.wait_for_request(
        "POST", rf"/channels/{fake.channel_id}/messages/{question['id']}/threads"
    )
    assert "@everyone" not in thread.json["name"]
    posted = await fake.wait_for_request("POST", rf"/channels/{question['id']}/messages")
    body = posted.json
    assert body["allowed_mentions"]["parse"] == [] and not body["allowed_mentions"].get("roles")
    text = str(body.get("embeds")) + str(body.get("content"))
    assert "docker" in text.lower() and "@everyone" not in text


THREAD_NAMES = {
    "bot mention only": ("<@{bot}> Which database should I learn first?", [],
                         "Which database should I learn first?"),
    "nickname form": ("<@!{bot}>   which   database?", [], "which database?"),
    "other mentions": ("<@{bot}> should <@{alice}> and <@&{role}> learn **SQL** first?",
                       ["alice"], "should Alice and Moderator learn SQL first?"),
    "mass mention": ("@here <@{bot}> what is C#?", [], "what is C#?"),
    "nothing but the mention": ("<@{bot}>", [], "Question"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(THREAD_NAMES))
async def test_a_thread_is_named_from_the_question_alone(running: Running, case: str) -> None:
    fake = running.fake
    template, others, expected = THREAD_NAMES[case]
    content = template.format(
        bot=fake.bot_user["id"], alice=fake.member_user["id"], role=fake.moderator_role_id
    )
    mentions = [fake.bot_user] + [fake.member_user for _ in others]
    question = await fake.send_message(
        content, mentions=mentions, mention_roles=[fake.moderator_role_id]
    )
    thread = await fake.wait_for_request(
        "POST", rf"/channels/{fake.channel_id}/messages/{question['id']}/threads"
    )
    assert thread.json["name"] == expected


async def test_a_long_question_names_its_thread_within_discord_s_limit(running: Running) -> None:
    fake = running.fake
    words = "why would a backend developer learn message queues before caching " * 5
    question = await fake.send_message(
        f"<@{fake.bot_user['id']}> {words}", mentions=[fake.bot_user]
    )
    thread = await fake.wait_for_request(
        "POST", rf"/channels/{fake.channel_id}/messages/{question['id']}/threads"
    )
    name = thread.json["name"]
    assert 50 <= len(name) <= 100 and name.startswith("why would a backend")
    assert words.startswith(name.removesuffix("…")), name  # cut between words


async def test_a_direct_message_is_answered_and_a_redelivery_is_not(running: Running) -> None:
    fake = running.fake
    await fake.send_message("what is git?", dm=True, message_id=4242)
    answer = await fake.wait_for_request("POST", r"/channels/\d+/messages")
    assert str(answer.json["message_reference"]["message_id"]) == "4242"
    await fake.send_message("what is git?", dm=True, message_id=4242)  # gateway redelivery
    with pytest.raises(TimeoutError):
        await fake.wait_for_request("POST", r"/channels/\d+/messages", timeout=0.5, count=2)


async def test_a_rate_limited_reply_is_retried_and_arrives_once(running: Running) -> None:
    fake = running.fake
    fake.rate_limit_next("POST", r"/channels/\d+/messages")
    question = await fake.send_message(
        f"<@{fake.bot_user['id']}> what is git?", mentions=[fake.bot_user]
    )
    path = rf"/channels/{question['id']}/messages"
    await fake.wait_for_request("POST", path)
    limited = fake.requests_matching("POST", path, include_rate_limited=True)
    assert [r.rate_limited for r in limited] == [True, False]


async def test_a_button_runs_its_command_for_the_clicker(running: Running) -> None:
    body = await running.command("roadmap", options={"topic": "git"})
    buttons = [c for row in body["data"]["components"] for c in row["components"]]
    mark_done = next(b for b in buttons if b.get("custom_id", "").endswith("progress git done"))
    await running.command("", type=3, custom_id=mark_done["custom_id"])
    shown = await running.command("progress", options={"topic": "git"})
    assert "done" in shown["data"]["embeds"][0]["description"]


@asynccontextmanager
async def small_bot(
    tmp_path: Path, handlers: dict[str, Any], table: CommandTable, ack_window: float = 2.0
) -> AsyncIterator[FakeDiscord]:
    """Run the adapter on a test command table with in-memory core parts."""

    async def chat(actor: Actor, text: str) -> Reply:
        return Reply(text="chat")

    dispatcher = Dispatcher(Router(table, handlers, chat), FakeEventLog(), FakeSpaceRepository())
    async with discord_serving(tmp_path, dispatcher, table, ack_window) as fake:
        yield fake


@asynccontextmanager
async def discord_serving(
    tmp_path: Path, dispatcher: Dispatcher, table: CommandTable, ack_window: float = 2.0
) -> AsyncIterator[FakeDiscord]:
    """Run the real adapter for table against a fake Discord, answering through dispatcher."""
    async with (
        FakeDiscord() as fake,
        adapter_on(fake, dispatcher, table, tmp_path / "sync", ack_window),
    ):
        yield fake


@asynccontextmanager
async def adapter_on(
    fake: FakeDiscord,
    dispatcher: Dispatcher,
    table: CommandTable,
    sync_state_file: Path,
    ack_window: float = 2.0,
) -> AsyncIterator[DiscordAdapter]:
    """Run the real adapter against an existing fake Discord until the block ends."""
    with make_client_overrides(fake):
        options = DiscordOptions(
            token=fake.token,
            api_base=fake.rest_base,
            gateway_url=str(fake.gateway_url),
            sync_state_file=sync_state_file,
            guild_ready_timeout=0.1,
            ack_window=ack_window,
        )
        adapter = DiscordAdapter(options, table)
        sessions = len(fake.identify_payloads)  # a fake may have served an adapter before
        task = asyncio.create_task(adapter.run(dispatcher.handle, {}))
        try:
            await fake.recorder.signal.wait_for(
                lambda: len(fake.identify_payloads) > sessions, 5.0, "IDENTIFY"
            )
            yield adapter
        finally:
            await adapter.close()
            await asyncio.wait_for(task, 5)


SYNC = r"/applications/\d+/commands"


def about_only() -> tuple[CommandTable, Dispatcher]:
    """Return a one-command table and a dispatcher for it, on in-memory parts."""

    async def about(request: Request) -> Reply:
        return Reply(text="about")

    async def chat(actor: Actor, text: str) -> Reply:
        return Reply(text="chat")

    table = CommandTable([Command("about", "About the bot.")])
    router = Router(table, {"about": about}, chat)
    return table, Dispatcher(router, FakeEventLog(), FakeSpaceRepository())


async def test_commands_sync_once_per_application_and_api_base(tmp_path: Path) -> None:
    """One data folder, used with another API base or application, syncs there too, once."""
    table, dispatcher = about_only()
    state = tmp_path / "data" / "discord_commands.json"
    async with FakeDiscord() as first, FakeDiscord() as second:
        app_a = first.application_id
        app_b = app_a + 1  # an application whose id is not its bot user's, as older ones are

        async def serve_once(fake: FakeDiscord, application_id: int) -> int:
            """Start and stop the adapter; return how many syncs the fake has seen in all."""
            fake.world.application_id = application_id
            async with adapter_on(fake, dispatcher, table, state):
                pass
            return len(fake.requests_matching("PUT", SYNC))

        assert await serve_once(first, app_a) == 1
        assert await serve_once(first, app_a) == 1  # unchanged: not synced again
        assert await serve_once(second, app_a) == 1  # the same application, another API base
        assert await serve_once(first, app_b) == 2  # another application, the same API base
        assert await serve_once(first, app_a) == 2  # back to A: still synced there
        assert await serve_once(second, app_a) == 1
        synced_to = {r.path for r in first.requests_matching("PUT", SYNC)}
        assert synced_to == {f"/applications/{app_a}/commands", f"/applications/{app_b}/commands"}


async def test_an_unreadable_sync_record_means_one_more_sync(tmp_path: Path) -> None:
    table, dispatcher = about_only()
    state = tmp_path / "discord_commands.json"
    state.write_text("not json {")
    async with FakeDiscord() as fake:
        async with adapter_on(fake, dispatcher, table, state):
            pass
        async with adapter_on(fake, dispatcher, table, state):
            pass
        assert len(fake.requests_matching("PUT", SYNC)) == 1


async def test_non_moderators_are_refused_moderator_commands(tmp_path: Path) -> None:
    """Permissions come from Discord: Manage Server (or the configured role) is a moderator."""
    calls: list[str] = []

    async def purge(request: Request) -> Reply:
        calls.append(request.actor.user_id)
        return Reply(text="purged")

    table = CommandTable([Command("purge", "Moderators only.", access=Access.MODERATOR)])
    async with small_bot(tmp_path, {"purge": purge}, table) as fake:
        refused = await fake.send_interaction("purge", user=fake.member_user, permissions=0)
        body = (await fake.wait_for_interaction_response(refused)).json
        assert "moderators" in body["data"]["embeds"][0]["description"].lower()
        allowed = await fake.send_interaction(
            "purge",
            user=fake.moderator_user,
            permissions=1 << 5,  # Manage Server
        )
        await fake.wait_for_interaction_response(allowed)
        assert calls == [str(fake.moderator_user["id"])]


async def test_slow_work_is_deferred_then_followed_up(tmp_path: Path) -> None:
    async def slow(request: Request) -> Reply:
        await asyncio.sleep(0.3)
        return Reply(text="finally")

    table = CommandTable([Command("slow", "Takes a while.")])
    async with small_bot(tmp_path, {"slow": slow}, table, ack_window=0.05) as fake:
        sent = await fake.send_interaction("slow")
        deferred = await fake.wait_for_interaction_response(sent)
        assert deferred.json["type"] == 5
        followup = await fake.wait_for_followup(sent)
        assert followup.json["embeds"][0]["description"] == "finally"


async def test_completers_cover_every_autocomplete_argument(running: Running) -> None:
    wanted = {
        a.autocomplete for p in COMMANDS.runnable() for a in p.leaf.arguments if a.autocomplete
    }
    assert wanted <= set(completers(running.bot.topics))


async def test_roadmap_bot_run_serves_discord_as_a_subprocess(tmp_path: Path) -> None:
    """The real CLI, configured only through settings, talks to the fake Discord."""
    async with FakeDiscord() as fake:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
        env |= {
            "BOT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            "BOT_DATA_DIR": str(tmp_path / "data"),
            "BOT_DISCORD_TOKEN": fake.token,
            "BOT_DISCORD_API_BASE": fake.rest_base,
            "BOT_DISCORD_GATEWAY_URL": str(fake.gateway_url),
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--log-json",
            env=env, cwd=tmp_path,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            await fake.wait_until_identified(timeout=30)
            sent = await fake.send_interaction("timezone", options={"zone": "Asia/Tokyo"})
            body = (await fake.wait_for_interaction_response(sent, timeout=10)).json
            fields = {f["name"]: f["value"] for f in body["data"]["embeds"][0]["fields"]}
            assert fields["Timezone"] == "Asia/Tokyo"
        finally:
            process.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(process.communicate(), 20)
        assert process.returncode == 0, stderr.decode()[-2000:]
        assert fake.token not in stderr.decode()  # the token is never logged


async def test_personal_answers_are_private_unless_shared(running: Running) -> None:
    private = await running.command("progress")
    shared = await running.command("progress", options={"share": True})
    assert private["data"]["flags"] & 64 and not shared["data"].get("flags", 0) & 64
    synced = running.fake.requests_matching("PUT", r"/applications/\d+/commands")[0].json
    with_share = {c["name"] for c in synced if any(o["name"] == "share" for o in c["options"])}
    assert with_share == {c.name for c in COMMANDS if c.personal}


async def test_streak_attaches_the_heatmap(running: Running) -> None:
    await running.command("checkin", options={"minutes": "20"})
    sent = await running.fake.send_interaction("streak")
    response = await running.fake.wait_for_interaction_response(sent)
    assert [f.filename for f in response.files] == ["streak.png"]
    assert response.files[0].data.startswith(b"\x89PNG")
    assert response.json["data"]["embeds"][0]["image"]["url"] == "attachment://streak.png"
