"""Subcommands: the table's shape, walking names, defaults, `key:value` words, access, handlers."""

from __future__ import annotations

import pytest

from bot.core.catalog import COMMANDS
from bot.core.commands import Access, Argument, Command, CommandTable
from bot.core.converters import ConvertContext, Integer, Text
from bot.core.errors import PermissionDeniedError, UnknownCommandError, UsageError
from bot.core.messages import NO_REFERENCES, Actor, Field, Incoming, Reply
from bot.core.requests import Request, parse_text
from bot.core.router import Handler, Router
from tests.fakes import make_actor

CONTEXT = ConvertContext(NO_REFERENCES)
TODAY = Command("today", "Today's prompt.")
ANSWER = Command(
    "answer", "Answer it.", (Argument("text", "Your answer.", Text(100), required=True, rest=True),)
)
SKIP = Command(
    "skip",
    "Skip today.",
    (Argument("days", "How many days.", Integer(1, 7), required=True),),
    access=Access.MODERATOR,
)
HISTORY = Command(
    "history",
    "Past prompts.",
    (
        Argument("count", "How many.", Integer(1, 20), label="n"),
        Argument("note", "Anything.", Text(50), rest=True),
    ),
    aliases=("past",),
)
PROMPT = Command(
    "prompt", "Daily prompts.", subcommands=(TODAY, ANSWER, SKIP, HISTORY), default="today"
)
SET = Command(
    "set",
    "Set it up.",
    (
        Argument("channel", "Where.", required=True),
        Argument("time", "When.", required=True),
        Argument("topics", "Which topics.", rest=True),
    ),
)
OFF = Command("off", "Stop.")
SETUP = Command(
    "setup",
    "Settings.",
    subcommands=(Command("prompts", "Prompts.", subcommands=(SET, OFF), default="set"),),
    access=Access.MODERATOR,
)
TABLE = CommandTable([PROMPT, SETUP])


def parse(line: str) -> tuple[tuple[str, ...], dict[str, object]]:
    name, _, rest = line.partition(" ")
    command = TABLE.get(name)
    assert command is not None
    parsed = parse_text(command, rest, CONTEXT)
    return parsed.path.names, parsed.values


def test_the_table_refuses_a_third_level_of_subcommands() -> None:
    deepest = Command("c", "Too deep.", subcommands=(Command("d", "Leaf."),))
    too_deep = Command("a", "Top.", subcommands=(Command("b", "Group.", subcommands=(deepest,)),))
    with pytest.raises(ValueError, match="2 levels"):
        CommandTable([too_deep])
    CommandTable([SETUP])  # command -> group -> subcommand is Discord's limit, and fine


def test_a_command_is_a_group_or_takes_arguments_and_its_default_exists() -> None:
    with pytest.raises(ValueError, match="not both"):
        Command("x", "X.", (Argument("a", "A."),), subcommands=(TODAY,))
    with pytest.raises(ValueError, match="default"):
        Command("x", "X.", subcommands=(TODAY,), default="tomorrow")
    with pytest.raises(ValueError, match="twice"):
        Command("x", "X.", subcommands=(TODAY, Command("today", "Again.")))


def test_subcommand_names_are_walked_then_the_arguments_parsed() -> None:
    assert parse("prompt answer use a hash map") == (
        ("prompt", "answer"),
        {"text": "use a hash map"},
    )
    assert parse("prompt past 3")[0] == ("prompt", "history")  # an alias
    assert parse("setup prompts off") == (("setup", "prompts", "off"), {})


def test_a_group_runs_its_default_when_the_next_word_names_no_subcommand() -> None:
    assert parse("prompt") == (("prompt", "today"), {})
    path, values = parse("setup prompts #general 09:00 sql")
    assert path == ("setup", "prompts", "set")
    assert values == {"channel": "#general", "time": "09:00", "topics": "sql"}


def test_key_value_words_mix_with_positional_ones() -> None:
    path, values = parse("setup prompts time:09:00 channel:#general sql joins")
    assert path == ("setup", "prompts", "set")
    assert values == {"channel": "#general", "time": "09:00", "topics": "sql joins"}
    # A label names an argument as well as its key; a rest argument runs to the next name.
    _, values = parse("prompt history note:two words n:3")
    assert values == {"count": 3, "note": "two words"}


def test_an_unknown_key_names_it_and_the_valid_ones() -> None:
    with pytest.raises(UsageError) as caught:
        parse("setup prompts set chanel:#general time:09:00")
    assert caught.value.argument == "chanel"
    message = caught.value.user_message
    assert "`chanel`" in message and "`channel`" in message and "`time`" in message
    assert caught.value.usage.startswith("setup prompts set")  # the full path


async def test_an_unknown_key_unslashed_where_nothing_reads_text_is_chat() -> None:
    router, calls = recording_router()
    await router.dispatch(Incoming(make_actor(), "prompt today step:one"))
    assert calls[-1][0] == "<chat>"
    with pytest.raises(UsageError) as caught:
        await router.dispatch(Incoming(make_actor(), "/prompt today step:one"))
    assert "`step`" in caught.value.user_message
    with pytest.raises(UsageError):  # a near miss of a key is an error either way
        await router.dispatch(Incoming(make_actor(), "prompt history cout:3"))


def test_a_key_given_twice_is_refused() -> None:
    with pytest.raises(UsageError) as caught:
        parse("prompt history n:2 count:3")
    assert caught.value.argument == "count"


def test_free_text_keeps_words_that_only_look_named() -> None:
    # A question may hold `image:tag` or a link; a free-text argument reads them as words.
    _, values = parse("prompt answer use docker:latest from https://example.com")
    assert values == {"text": "use docker:latest from https://example.com"}
    _, values = parse("setup prompts #general 18:30")  # a time is no key:value
    assert values == {"channel": "#general", "time": "18:30"}


def test_a_mistyped_subcommand_is_a_usage_error_with_the_full_path() -> None:
    with pytest.raises(UsageError) as caught:
        parse("prompt anser my code")
    assert "`prompt answer`" in caught.value.user_message


async def test_unslashed_words_a_group_cannot_read_are_chat_and_slashed_ones_an_error() -> None:
    router, calls = recording_router()
    moderator = make_actor(moderator=True)
    await router.dispatch(Incoming(moderator, "prompt me about graphs"))  # via the default
    await router.dispatch(Incoming(moderator, "setup something odd"))  # no default
    assert [call[0] for call in calls] == ["<chat>", "<chat>"]
    with pytest.raises(UsageError) as caught:
        await router.dispatch(Incoming(moderator, "/prompt me about graphs"))
    assert "prompt today" in caught.value.user_message  # the default's full path
    with pytest.raises(UsageError) as caught:
        await router.dispatch(Incoming(moderator, "/setup something odd"))
    assert "`prompts`" in caught.value.user_message  # the subcommands are listed
    with pytest.raises(UsageError):
        await router.dispatch(Incoming(moderator, "setup"))  # a group alone needs a name


async def test_access_is_checked_per_subcommand_before_its_arguments() -> None:
    router, calls = recording_router()
    with pytest.raises(PermissionDeniedError) as caught:
        await router.dispatch(Incoming(make_actor(), "/prompt skip not-a-number"))
    assert "prompt skip" in caught.value.user_message
    with pytest.raises(PermissionDeniedError):  # a moderators' group keeps its subcommands
        await router.dispatch(Incoming(make_actor(), "/setup prompts off"))
    await router.dispatch(Incoming(make_actor(), "prompt"))
    await router.dispatch(Incoming(make_actor(moderator=True), "prompt skip 2"))
    assert calls == [
        ("prompt", ("prompt", "today"), {}),
        ("prompt skip", ("prompt", "skip"), {"days": 2}),
    ]


def recording_router() -> tuple[Router, list[tuple[str, tuple[str, ...], dict[str, object]]]]:
    """Return a router with a handler for the prompt group and one for `prompt skip` alone."""
    calls: list[tuple[str, tuple[str, ...], dict[str, object]]] = []

    def handler(key: str) -> Handler:
        async def handle(request: Request) -> Reply:
            calls.append((key, request.path, dict(request.values)))
            return Reply(text=key)

        return handle

    async def chat(actor: Actor, text: str) -> Reply:
        calls.append(("<chat>", (), {"text": text}))
        return Reply(text="chat")

    keys = ("prompt", "prompt skip", "setup prompts")
    return Router(TABLE, {key: handler(key) for key in keys}, chat), calls


def test_handlers_must_name_paths_and_answer_every_one() -> None:
    async def chat(actor: Actor, text: str) -> Reply:
        return Reply(text="")

    async def handle(request: Request) -> Reply:
        return Reply(text="")

    with pytest.raises(ValueError, match="setup prompts"):
        Router(TABLE, {"prompt": handle}, chat)  # nobody answers setup
    with pytest.raises(ValueError, match="prompt tomorrow"):
        Router(TABLE, {"prompt": handle, "setup": handle, "prompt tomorrow": handle}, chat)
    Router(TABLE, {"prompt": handle, "setup": handle}, chat)  # a group answers it all


def test_every_shipped_path_is_documented() -> None:
    for path in COMMANDS.paths():
        assert path.leaf.summary.endswith("."), path.key
        assert path.leaf.examples, path.key
        assert path.usage().startswith(path.key), path.key


async def test_help_explains_a_group_and_one_of_its_subcommands() -> None:
    from bot.core.general.help import HelpService

    help_ = HelpService(COMMANDS)
    group = help_.explain("config")
    fields = {f.name: f.value for f in group.fields}
    assert "`config show`" in fields["Subcommands"] and "`config streaks" in fields["Subcommands"]
    one = help_.explain("config streaks")
    assert one.title is not None and one.title.endswith("config streaks")
    assert {f.name for f in one.fields} >= {"Usage", "Arguments", "Examples"}
    with pytest.raises(UnknownCommandError, match="config streaks"):
        help_.explain("config strekas")  # suggests the subcommand it meant


async def test_config_show_has_a_section_per_job() -> None:
    from bot.core.general.settings import SettingsOverview
    from bot.core.sections import SettingsSection

    async def streaks(actor: Actor) -> tuple[Field, ...]:
        return (Field("freeze-every", "7"), Field("max-freezes", "2"))

    async def prompts(actor: Actor) -> tuple[Field, ...]:
        return (Field("channel", "#daily"),)

    overview = SettingsOverview(
        [
            SettingsSection("Streaks", "config streaks", streaks),
            SettingsSection("Prompts", "config prompts", prompts),
        ]
    )
    show = COMMANDS.path("config show")
    assert show is not None
    reply = await overview.handle(
        Request(make_actor(moderator=True), show.leaf, {}, None, show.names)
    )
    sections = {f.name: f.value for f in reply.fields}
    assert list(sections) == ["Streaks", "Prompts"]
    assert "max-freezes: 2" in sections["Streaks"] and "`config prompts`" in sections["Prompts"]
    assert reply.ephemeral


def test_jobs_may_not_answer_the_same_path() -> None:
    from bot.jobs.kit import Job, all_handlers

    async def handle(request: Request) -> Reply:
        return Reply(text="")

    one, two = Job("one", {"config streaks": handle}), Job("two", {"config prompts": handle})
    assert set(all_handlers([one, two])) == {"config streaks", "config prompts"}
    with pytest.raises(ValueError, match="config streaks"):
        all_handlers([one, Job("three", {"config streaks": handle})])


async def test_help_reads_a_subcommand_but_leaves_a_sentence_to_chat() -> None:
    from bot.core.catalog import HELP
    from bot.core.converters import CommandName

    kind = HELP.arguments[0].kind
    assert isinstance(kind, CommandName)  # and it knows every shipped subcommand's name
    assert {
        n for p in COMMANDS.paths() if len(p.names) > 1 for n in p.names[1:]
    } <= kind.subcommands
    help_ = COMMANDS.get("help")
    assert help_ is not None
    assert parse_text(help_, "config streaks", CONTEXT).values == {"command": "config streaks"}
    router = Router(
        COMMANDS, {p.key: _answer for p in COMMANDS.paths() if len(p.names) == 1}, _chat
    )
    assert router.parse("help me with sql joins") is None  # a question, not a command


async def _answer(request: Request) -> Reply:
    return Reply(text="")


async def _chat(actor: Actor, text: str) -> Reply:
    return Reply(text="")
