"""Parity: every command, subcommand and argument reaches the core with the same typed values.

Each surface runs for real: the console adapter, slack-bolt over signed HTTP against the fake
Slack, and discord.py against the fake Discord (native user, channel, role and integer
options; groups as SUB_COMMAND_GROUP and SUB_COMMAND). One recording handler per command path
keeps what the service would have received.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.adapters.console import ConsoleAdapter, console_actor
from bot.adapters.slack.adapter import SlackAdapter
from bot.core.catalog import COMMANDS
from bot.core.commands import Access, Argument, Command, CommandTable
from bot.core.converters import Channel, Day, Duration, Integer, Role, Text, TimeOfDay, Weekdays
from bot.core.dispatcher import Dispatcher
from bot.core.mentoring.rounds.kinds import RoundCode, WeekdayTime
from bot.core.messages import Actor, ChannelRef, MemberRef, Platform, Reply, RoleRef
from bot.core.requests import Request
from bot.core.router import Router
from tests.adapters.test_discord import discord_serving, slash
from tests.adapters.test_slack import free_port, serving, slack_options
from tests.fakes import FakeEventLog, FakeSpaceRepository
from tests.slack_fake import FakeSlack

# A command with one argument of every kind the shipped table does not use yet, so the
# adapters' mapping of each kind (Discord's native channel, role and integer options too) is
# proven before the prompts and mentoring jobs rely on it.
KINDS = Command(
    "kinds",
    "Every argument kind.",
    (
        Argument("channel", "A channel.", Channel(), required=True),
        Argument("role", "A role.", Role(), required=True),
        Argument("at", "A time.", TimeOfDay(), required=True),
        Argument("days", "Weekdays.", Weekdays(), required=True),
        Argument("on", "A date.", Day(), required=True),
        Argument("count", "A number.", Integer(1, 5), required=True),
        Argument("length", "A duration.", Duration(), required=True),
    ),
    examples=("kinds",),
)
# Subcommands two levels down (Discord's limit), a default, `key:value` words and a
# moderators' subcommand in a group everyone may use.
NEST = Command(
    "nest",
    "Groups in groups.",
    subcommands=(
        Command(
            "inner",
            "A group inside a group.",
            subcommands=(
                Command(
                    "leaf",
                    "Two levels down.",
                    (
                        Argument("count", "A number.", Integer(1, 5), required=True),
                        Argument("note", "Some words.", Text(50), rest=True),
                    ),
                ),
                Command("locked", "For moderators.", access=Access.MODERATOR),
            ),
            default="leaf",
        ),
    ),
)
TABLE = CommandTable([*COMMANDS, KINDS, NEST])


@dataclass(frozen=True)
class Person:
    """Who a member argument names, on each platform."""

    console: str
    slack: str
    discord: str


@dataclass(frozen=True)
class Sample:
    """One invocation: the line typed on Slack and in the console, and Discord's options."""

    console: str
    slack: str
    discord: Mapping[str, Any]  # option values; "@member", "#channel", "@role" are looked up


# Written the way people type on each surface; the values must come out the same.
SAMPLES: dict[str, Sample] = {
    "ask question": Sample(
        "ask what is docker", "ask question what is docker", {"question": "what is docker"}
    ),
    "ask feedback": Sample(
        "ask feedback 12 yes",
        "ask feedback answer:12 helpful:Yes",
        {"answer": 12, "helpful": "yes"},
    ),
    "ask stats": Sample("ask stats month", "ask stats period:month", {"period": "month"}),
    "config ask": Sample("config ask keep-declined:on", "config ask on", {"keep_declined": "on"}),
    "roadmap": Sample("roadmap Databases", "roadmap Databases", {"topic": "Databases"}),
    "next": Sample("next", "next", {}),
    "progress": Sample(
        "progress git done", "progress git done", {"topic": "git", "status": "done"}
    ),
    "resources": Sample(
        "resources databases free", "resources databases free", {"query": "databases free"}
    ),
    "help": Sample("help tz", "help tz", {"command": "tz"}),
    "timezone": Sample("tz Europe/Berlin", "tz Europe/Berlin", {"zone": "Europe/Berlin"}),
    "checkin": Sample(
        "checkin 1h 30m sql joins",
        "checkin\t90 minutes sql joins",
        {"minutes": "1h30", "note": "sql joins"},
    ),
    "streak": Sample("streak @alice", "streak <@U_MEMBER>", {"member": "@member"}),
    "leaderboard": Sample(
        "top month minutes", "leaderboard month minutes", {"period": "month", "metric": "minutes"}
    ),
    "reminders": Sample("reminders on", "remind on", {"switch": "on"}),
    "privacy": Sample(
        "privacy leaderboard off",
        "privacy leaderboard off",
        {"setting": "leaderboard", "value": "off"},
    ),
    "about": Sample("about", "about", {}),
    "config show": Sample("config", "config show", {}),
    "config streaks": Sample(
        "config streaks value:3 setting:max-freezes",
        "config streaks max-freezes 3",
        {"setting": "max-freezes", "value": "3"},
    ),
    "config prompts set": Sample(
        "config prompts 09:00 #general mon-fri timezone:Europe/Berlin difficulty:easy,hard "
        "topics:git,sql mention:@mods grace:2h",
        "config prompts set time:9:00am channel:<#C_GENERAL|general> days:mon-fri "
        "timezone:Europe/Berlin difficulty:hard,easy topics:Git,sql "
        "mention:<!subteam^S_MODS|mods> grace:2 hours",
        {
            "time": "09:00",
            "channel": "#channel",
            "days": "mon-fri",
            "timezone": "Europe/Berlin",
            "difficulty": "easy,hard",
            "topics": "git, sql",
            "mention": "@role",
            "grace": "2h",
        },
    ),
    "config prompts off": Sample(
        "config prompts off #general",
        "config prompts off <#C_GENERAL|general>",
        {"channel": "#channel"},
    ),
    "config prompts skip": Sample(
        "config prompts skip 2026-12-24 #general",
        "config prompts skip day:2026-12-24 channel:<#C_GENERAL|general>",
        {"day": "2026-12-24", "channel": "#channel"},
    ),
    "config prompts pause": Sample(
        "config prompts pause until:2026-01-07 #general",
        "config prompts pause 2026-01-07 <#C_GENERAL|general>",
        {"until": "2026-01-07", "channel": "#channel"},
    ),
    "config prompts resume": Sample(
        "config prompts resume #general",
        "config prompts resume <#C_GENERAL|general>",
        {"channel": "#channel"},
    ),
    "prompt today": Sample("prompt", "prompt today", {}),
    "prompt hint": Sample("prompt hint", "prompt hint", {}),
    "prompt answer": Sample(
        "prompt answer use a set, O(n)",
        "prompt answer text:use a set, O(n)",
        {"text": "use a set, O(n)"},
    ),
    "prompt answers": Sample("prompt answers", "prompt answers", {}),
    "prompt history": Sample("prompt history 5", "prompt history count:5", {"count": 5}),
    "prompt preview": Sample(
        "prompt preview #general", "prompt preview <#C_GENERAL|general>", {"channel": "#channel"}
    ),
    "prompt skip": Sample(
        "prompt skip #general", "prompt skip <#C_GENERAL|general>", {"channel": "#channel"}
    ),
    "prompt post-now": Sample(
        "prompt post-now #general", "prompt post-now <#C_GENERAL|general>", {"channel": "#channel"}
    ),
    "prompt status": Sample("prompt status", "prompt status", {}),
    "prompt add": Sample(
        "prompt add title:Two sums body:Find two numbers. difficulty:easy topics:sql,git "
        "hint:Use a set",
        "prompt add difficulty:Easy title:Two sums topics:sql,git body:Find two numbers. "
        "hint:Use a set",
        {
            "title": "Two sums",
            "body": "Find two numbers.",
            "difficulty": "easy",
            "topics": "sql,git",
            "hint": "Use a set",
        },
    ),
    "prompt suggest": Sample(
        "prompt suggest title:Two sums body:Find two numbers. difficulty:easy topics:sql,git "
        "hint:Use a set",
        "prompt suggest hint:Use a set difficulty:easy topics:sql,git title:Two sums "
        "body:Find two numbers.",
        {
            "title": "Two sums",
            "body": "Find two numbers.",
            "difficulty": "easy",
            "topics": "sql,git",
            "hint": "Use a set",
        },
    ),
    "prompt suggestions": Sample("prompt suggestions", "prompt suggestions", {}),
    "prompt approve": Sample(
        "prompt approve custom-3", "prompt approve id:custom-3", {"id": "custom-3"}
    ),
    "prompt reject": Sample(
        "prompt reject custom-3 we have one like it",
        "prompt reject id:custom-3 reason:we have one like it",
        {"id": "custom-3", "reason": "we have one like it"},
    ),
    "prompt retire": Sample(
        "prompt retire sql-top-customers",
        "prompt retire id:sql-top-customers",
        {"id": "sql-top-customers"},
    ),
    "prompt restore": Sample(
        "prompt restore custom-2", "prompt restore custom-2", {"id": "custom-2"}
    ),
    "mentor signup": Sample(
        "mentor signup topics:git,sql experience:backend hours:Mon-Thu 18:00-20:00, "
        "Sat 10:00-12:00 capacity:3 intro:Backend dev. timezone:Europe/Berlin",
        "mentor signup intro:Backend dev. capacity:3 topics:Git,sql timezone:Europe/Berlin "
        "experience:backend hours:Mon-Thu 18:00-20:00, Sat 10:00-12:00",
        {
            "topics": "git, sql",
            "experience": "backend",
            "hours": "Mon-Thu 18:00-20:00, Sat 10:00-12:00",
            "capacity": 3,
            "intro": "Backend dev.",
            "timezone": "Europe/Berlin",
        },
    ),
    "mentor edit": Sample(
        "mentor edit capacity:4 hours:Sat 10:00-12:00 topics:http experience:2 "
        "intro:Ask me about HTTP: status codes too. timezone:Asia/Tokyo",
        "mentor edit topics:http experience:2 hours:Sat 10:00-12:00 capacity:4 "
        "intro:Ask me about HTTP: status codes too. timezone:Asia/Tokyo",
        {
            "topics": "http",
            "experience": "2",
            "hours": "Sat 10:00-12:00",
            "capacity": 4,
            "intro": "Ask me about HTTP: status codes too.",
            "timezone": "Asia/Tokyo",
        },
    ),
    "mentor profile": Sample("mentor profile", "mentor profile", {}),
    "mentor pause": Sample(
        "mentor pause until:2026-01-07", "mentor pause 2026-01-07", {"until": "2026-01-07"}
    ),
    "mentor resume": Sample("mentor resume", "mentor resume", {}),
    "mentor leave": Sample("mentor leave confirm", "mentor leave Confirm", {"confirm": "confirm"}),
    "mentor block": Sample(
        "mentor block @alice", "mentor block <@U_MEMBER>", {"member": "@member"}
    ),
    "mentor unblock": Sample(
        "mentor unblock @alice", "mentor unblock member:<@U_MEMBER>", {"member": "@member"}
    ),
    "mentor request": Sample(
        "mentor request databases my joins return every row twice hours:Mon-Fri 18:00-20:00",
        "mentor request hours:Mon-Fri 18:00-20:00 databases my joins return every row twice",
        {
            "topic": "databases",
            "context": "my joins return every row twice",
            "hours": "Mon-Fri 18:00-20:00",
        },
    ),
    "mentor status": Sample("mentor", "mentor status", {}),
    "mentor cancel": Sample(
        "mentor cancel databases", "mentor cancel topic:databases", {"topic": "databases"}
    ),
    "mentor accept": Sample("mentor accept 12", "mentor accept id:12", {"id": 12}),
    "mentor decline": Sample("mentor decline 12", "mentor decline 12", {"id": 12}),
    "mentor met": Sample(
        "mentor met 7 yes", "mentor met id:7 answer:yes", {"id": 7, "answer": "yes"}
    ),
    "mentor stats": Sample("mentor stats", "mentor stats", {}),
    "config mentoring": Sample(
        "config mentoring deadline:72h followup:2w",
        "config mentoring 72h 14d",
        {"deadline": "72h", "followup": "14d"},
    ),
    "config pairing set": Sample(
        "config pairing #general every:2w at:mon 18:00 timezone:Europe/Berlin odd:sit-out",
        "config pairing set channel:<#C_GENERAL|general> every:2w at:monday 6pm "
        "timezone:Europe/Berlin odd:sit-out",
        {
            "channel": "#channel",
            "every": "2w",
            "at": "mon 18:00",
            "timezone": "Europe/Berlin",
            "odd": "sit-out",
        },
    ),
    "config pairing off": Sample(
        "config pairing off #general",
        "config pairing off <#C_GENERAL|general>",
        {"channel": "#channel"},
    ),
    "pairing status": Sample(
        "pairing #general", "pairing status <#C_GENERAL|general>", {"channel": "#channel"}
    ),
    "pairing join": Sample(
        "pairing join #general", "pairing join <#C_GENERAL|general>", {"channel": "#channel"}
    ),
    "pairing leave": Sample(
        "pairing leave #general 3-12",
        "pairing leave channel:<#C_GENERAL|general> round:3-12",
        {"channel": "#channel", "round": "3-12"},
    ),
    "pairing snooze": Sample(
        "pairing snooze until:2026-01-07 #general",
        "pairing snooze 2026-01-07 <#C_GENERAL|general>",
        {"until": "2026-01-07", "channel": "#channel"},
    ),
    "pairing skip": Sample(
        "pairing skip #general round:3-12",
        "pairing skip <#C_GENERAL|general> 3-12",
        {"channel": "#channel", "round": "3-12"},
    ),
    "pairing met": Sample(
        "pairing met yes round:3-12", "pairing met yes 3-12", {"answer": "yes", "round": "3-12"}
    ),
    "pairing preview": Sample(
        "pairing preview #general", "pairing preview <#C_GENERAL|general>", {"channel": "#channel"}
    ),
    "pairing roster": Sample(
        "pairing roster #general", "pairing roster <#C_GENERAL|general>", {"channel": "#channel"}
    ),
    "nest inner leaf": Sample(
        "nest inner note:two words count:3",
        "nest inner leaf 3 two words",
        {"count": 3, "note": "two words"},
    ),
    "nest inner locked": Sample("nest inner locked", "nest inner locked", {}),
    "kinds": Sample(
        "kinds #general @mods 18:30 mon-fri 2026-12-24 3 45m",
        "kinds <#C_GENERAL|general> <!subteam^S_MODS|mods> 6:30pm mon-fri 2026-12-24 3 45m",
        {
            "channel": "#channel",
            "role": "@role",
            "at": "18:30",
            "days": "Mon-Fri",
            "on": "2026-12-24",
            "count": 3,
            "length": "45",
        },
    ),
}

_DRAFT = {
    "title": "Two sums",
    "body": "Find two numbers.",
    "difficulty": "easy",
    "topics": frozenset({"sql", "git"}),
    "hint": "Use a set",
}
# What every surface must hand the service, with references left out (they name the same
# person, channel or role in each platform's own ids, checked separately).
EXPECTED: dict[str, dict[str, object]] = {
    "ask question": {"question": "what is docker"},
    "ask feedback": {"answer": 12, "helpful": "yes"},
    "ask stats": {"period": "month"},
    "config ask": {"keep_declined": "on"},
    "roadmap": {"topic": "databases"},
    "next": {},
    "progress": {"topic": "git", "status": "done"},
    "resources": {"query": "databases free"},
    "help": {"command": "tz"},
    "timezone": {"zone": ZoneInfo("Europe/Berlin")},
    "checkin": {"minutes": timedelta(hours=1, minutes=30), "note": "sql joins"},
    "streak": {},
    "leaderboard": {"period": "month", "metric": "minutes"},
    "reminders": {"switch": "on"},
    "privacy": {"setting": "leaderboard", "value": "off"},
    "about": {},
    "config show": {},
    "config streaks": {"setting": "max-freezes", "value": 3},
    "config prompts set": {
        "time": time(9, 0),
        "days": frozenset(range(5)),
        "timezone": ZoneInfo("Europe/Berlin"),
        "difficulty": frozenset({"easy", "hard"}),
        "topics": frozenset({"git", "sql"}),
        "grace": timedelta(hours=2),
    },
    "config prompts off": {},
    "config prompts skip": {"day": date(2026, 12, 24)},
    "config prompts pause": {"until": date(2026, 1, 7)},
    "config prompts resume": {},
    "prompt today": {},
    "prompt hint": {},
    "prompt answer": {"text": "use a set, O(n)"},
    "prompt answers": {},
    "prompt history": {"count": 5},
    "prompt preview": {},
    "prompt skip": {},
    "prompt post-now": {},
    "prompt status": {},
    "prompt add": _DRAFT,
    "prompt suggest": _DRAFT,
    "prompt suggestions": {},
    "prompt approve": {"id": "custom-3"},
    "prompt reject": {"id": "custom-3", "reason": "we have one like it"},
    "prompt retire": {"id": "sql-top-customers"},
    "prompt restore": {"id": "custom-2"},
    "mentor signup": {
        "topics": frozenset({"git", "sql"}),
        "experience": "backend",
        "hours": "Mon-Thu 18:00-20:00, Sat 10:00-12:00",
        "capacity": 3,
        "intro": "Backend dev.",
        "timezone": ZoneInfo("Europe/Berlin"),
    },
    "mentor edit": {
        "topics": frozenset({"http"}),
        "experience": "2",
        "hours": "Sat 10:00-12:00",
        "capacity": 4,
        "intro": "Ask me about HTTP: status codes too.",
        "timezone": ZoneInfo("Asia/Tokyo"),
    },
    "mentor profile": {},
    "mentor pause": {"until": date(2026, 1, 7)},
    "mentor resume": {},
    "mentor leave": {"confirm": "confirm"},
    "mentor block": {},
    "mentor unblock": {},
    "mentor request": {
        "topic": "databases",
        "context": "my joins return every row twice",
        "hours": "Mon-Fri 18:00-20:00",
    },
    "mentor status": {},
    "mentor cancel": {"topic": "databases"},
    "mentor accept": {"id": 12},
    "mentor decline": {"id": 12},
    "mentor met": {"id": 7, "answer": "yes"},
    "mentor stats": {},
    "config mentoring": {"deadline": timedelta(hours=72), "followup": timedelta(days=14)},
    "config pairing set": {
        "every": "2w",
        "at": WeekdayTime(0, time(18, 0)),
        "timezone": ZoneInfo("Europe/Berlin"),
        "odd": "sit-out",
    },
    "config pairing off": {},
    "pairing status": {},
    "pairing join": {},
    "pairing leave": {"round": RoundCode(3, 12)},
    "pairing snooze": {"until": date(2026, 1, 7)},
    "pairing skip": {"round": RoundCode(3, 12)},
    "pairing met": {"answer": "yes", "round": RoundCode(3, 12)},
    "pairing preview": {},
    "pairing roster": {},
    "nest inner leaf": {"count": 3, "note": "two words"},
    "nest inner locked": {},
    "kinds": {
        "at": time(18, 30),
        "days": frozenset(range(5)),
        "on": date(2026, 12, 24),
        "count": 3,
        "length": timedelta(minutes=45),
    },
}

Recorded = dict[str, dict[str, object]]


def recording_dispatcher() -> tuple[Dispatcher, Recorded]:
    """Return a dispatcher whose handlers record the typed values they receive."""
    received: Recorded = {}

    def handler(name: str) -> Any:
        async def handle(request: Request) -> Reply:
            assert " ".join(request.path) == name  # the request names its whole path
            # The call with arguments wins: Slack's App Home re-runs `progress` bare.
            if request.values or name not in received:
                received[name] = dict(request.values)
            return Reply(text=f"ran {name}")

        return handle

    async def chat(actor: Actor, text: str) -> Reply:
        raise AssertionError(f"a command line fell through to chat: {text!r}")

    handlers = {path.key: handler(path.key) for path in TABLE.runnable()}
    router = Router(TABLE, handlers, chat, topic=lambda t: t.casefold())
    return Dispatcher(router, FakeEventLog(), FakeSpaceRepository()), received


def test_samples_cover_every_command_subcommand_and_argument() -> None:
    assert set(SAMPLES) == {path.key for path in TABLE.runnable()} == set(EXPECTED)
    for path in TABLE.runnable():
        given = set(SAMPLES[path.key].discord)
        assert given == {a.key for a in path.leaf.arguments}, path.key


def plain(values: Mapping[str, object]) -> dict[str, object]:
    """Return values without the references."""
    refs = (MemberRef, ChannelRef, RoleRef)
    return {k: v for k, v in values.items() if not isinstance(v, refs)}


async def run_console() -> Recorded:
    dispatcher, received = recording_dispatcher()
    adapter = ConsoleAdapter(dispatcher.handle, console_actor("ada", moderator=True))
    for sample in SAMPLES.values():
        reply = await adapter.ask(sample.console)
        assert reply is not None and reply.error is None, (sample.console, reply)
    return received


async def test_console_parity() -> None:
    received = await run_console()
    assert {name: plain(v) for name, v in received.items()} == EXPECTED
    assert received["streak"]["member"] == MemberRef(Platform.CONSOLE, "alice", "alice")
    assert received["kinds"]["channel"] == ChannelRef("general", "general")
    assert received["kinds"]["role"] == RoleRef("mods", "mods")
    assert received["config prompts set"]["channel"] == ChannelRef("general", "general")
    assert received["config prompts set"]["mention"] == RoleRef("mods", "mods")


async def test_slack_parity() -> None:
    dispatcher, received = recording_dispatcher()
    async with FakeSlack() as slack:
        port = free_port()
        adapter = SlackAdapter(slack_options(slack, port), TABLE)
        async with (
            serving(adapter, port, dispatcher.handle) as endpoint,
            slack.signed_requests(endpoint) as sender,
        ):
            for count, sample in enumerate(SAMPLES.values(), start=1):
                status, _ = await sender.slash_command("/roadmap", sample.slack, user_id="U_ADMIN")
                assert status == 200
                reply = (await slack.wait_for_response("default", count=count)).json
                assert "ran " in str(reply), (sample.slack, reply)
    assert {name: plain(v) for name, v in received.items()} == EXPECTED
    assert received["streak"]["member"] == MemberRef(Platform.SLACK, "T0001:U_MEMBER")
    assert received["kinds"]["channel"] == ChannelRef("C_GENERAL", "general")
    assert received["kinds"]["role"] == RoleRef("S_MODS", "mods")
    assert received["prompt post-now"]["channel"] == ChannelRef("C_GENERAL", "general")
    assert received["config prompts set"]["mention"] == RoleRef("S_MODS", "mods")


async def test_discord_parity_with_native_option_types(tmp_path: Path) -> None:
    dispatcher, received = recording_dispatcher()
    async with discord_serving(tmp_path, dispatcher, TABLE) as fake:
        world = fake.world
        lookups = {
            "@member": fake.member_user,
            "#channel": world.channel(fake.channel_id),
            "@role": world.role(world.moderator_role_id),
        }
        synced = fake.requests_matching("PUT", r"/applications/\d+/commands")[-1].json
        types = {o["name"]: o["type"] for c in synced if c["name"] == "kinds" for o in c["options"]}
        # Native Discord types: CHANNEL 7, ROLE 8, INTEGER 4 (no text to parse).
        assert (types["channel"], types["role"], types["count"]) == (7, 8, 4)
        notes = [o for c in synced if c["name"] == "checkin" for o in c["options"]]
        assert {o["name"]: o.get("max_length") for o in notes}["note"] == 200
        # Groups: SUB_COMMAND_GROUP 2 holding SUB_COMMAND 1, whose options are typed as above.
        (inner,) = next(c for c in synced if c["name"] == "nest")["options"]
        assert (inner["name"], inner["type"]) == ("inner", 2)
        leaf = {o["name"]: o for o in inner["options"]}
        assert {o["type"] for o in leaf.values()} == {1}
        assert {o["name"]: o["type"] for o in leaf["leaf"]["options"]}["count"] == 4
        for key, sample in SAMPLES.items():
            options = {k: lookups.get(v, v) if isinstance(v, str) else v
                       for k, v in sample.discord.items()}  # fmt: skip
            moderator = TABLE.path(key).access is Access.MODERATOR  # type: ignore[union-attr]
            extra = {"user": fake.moderator_user, "permissions": 1 << 5} if moderator else {}
            sent = await fake.send_interaction(**slash(key), options=options, **extra)
            body = (await fake.wait_for_interaction_response(sent)).json
            assert body["data"]["embeds"][0]["description"] == f"ran {key}", body
    assert {name: plain(v) for name, v in received.items()} == EXPECTED
    member = received["streak"]["member"]
    assert isinstance(member, MemberRef) and member.platform is Platform.DISCORD
    assert member.user_id == str(fake.member_user["id"])
    assert received["kinds"]["channel"] == ChannelRef(str(fake.channel_id), "general")
    role = received["kinds"]["role"]
    assert isinstance(role, RoleRef) and role.role_id == str(world.moderator_role_id)


@pytest.mark.parametrize(
    ("line", "argument"),
    [
        ("kinds #general @mods 25:00 mon 2026-12-24 3 45m", "at"),
        ("kinds #general @mods 18:30 funday 2026-12-24 3 45m", "days"),
        ("kinds #general @mods 18:30 mon 2026-02-30 3 45m", "on"),
        ("kinds #general @mods 18:30 mon 2026-12-24 ² 45m", "count"),
        ("kinds #general @mods 18:30 mon 2026-12-24 9 45m", "count"),
        ("kinds #general @mods 18:30 mon 2026-12-24 3 1e3", "length"),
        ("kinds <#C1> @mods 18:30 mon 2026-12-24 3 45m", "channel"),
    ],
)
async def test_one_bad_value_is_a_usage_error_naming_it(line: str, argument: str) -> None:
    dispatcher, received = recording_dispatcher()
    adapter = ConsoleAdapter(dispatcher.handle, console_actor("ada"))
    reply = await adapter.ask(line)
    assert reply is not None and reply.error == "usage", reply
    assert f"`{argument}`" in reply.text
    assert received == {}
