"""The router: commands with and without a slash, arguments, suggestions, permissions."""

from __future__ import annotations

import pytest

from bot.core.catalog import COMMANDS
from bot.core.commands import Access, Argument, Command, CommandTable
from bot.core.converters import Choice
from bot.core.errors import PermissionDeniedError, UnknownCommandError, UsageError
from bot.core.messages import Actor, Incoming, NoReferences, Reply
from bot.core.requests import Request
from bot.core.router import Router
from tests.fakes import make_actor

ECHO = Command(
    "echo", "Echo words.", (Argument("words", "What to echo.", required=True, rest=True),)
)
MODE = Command("mode", "Pick a mode.", (Argument("mode", "The mode.", Choice(("on", "off"))),))
PAIR = Command(
    "pair",
    "Two arguments.",
    (Argument("first", "First.", required=True), Argument("second", "Second.")),
)
PURGE = Command("purge", "Delete everything.", access=Access.MODERATOR)
PING = Command("ping", "Answer pong.", aliases=("p",))
TABLE = CommandTable([ECHO, MODE, PAIR, PURGE, PING])


def recording_router() -> tuple[Router, list[tuple[str, dict[str, object]]]]:
    calls: list[tuple[str, dict[str, object]]] = []

    def handler(name: str):
        async def handle(request: Request) -> Reply:
            calls.append((name, dict(request.values)))
            return Reply(text=name)

        return handle

    async def chat(actor: Actor, text: str) -> Reply:
        calls.append(("<chat>", {"text": text}))
        return Reply(text="chat")

    return Router(TABLE, {c.name: handler(c.name) for c in TABLE}, chat), calls


@pytest.mark.parametrize(
    "text", ["echo hello world", "/echo hello world", "  /ECHO   hello world "]
)
async def test_command_with_and_without_slash(text: str) -> None:
    router, calls = recording_router()
    await router.dispatch(Incoming(make_actor(), text))
    assert calls == [("echo", {"words": "hello world"})]


async def test_alias_and_trailing_question_mark() -> None:
    router, calls = recording_router()
    await router.dispatch(Incoming(make_actor(), "p"))
    await router.dispatch(Incoming(make_actor(), "ping?"))
    assert [name for name, _ in calls] == ["ping", "ping"]


async def test_plain_text_goes_to_chat() -> None:
    router, calls = recording_router()
    await router.dispatch(Incoming(make_actor(), "what should I learn after databases?"))
    assert calls == [("<chat>", {"text": "what should I learn after databases?"})]


async def test_unslashed_command_word_with_extra_words_is_chat() -> None:
    router, calls = recording_router()
    await router.dispatch(Incoming(make_actor(), "ping me when the roadmap changes"))
    assert calls[0][0] == "<chat>"


async def test_slashed_command_with_extra_words_is_a_usage_error() -> None:
    router, calls = recording_router()
    with pytest.raises(UsageError) as caught:
        await router.dispatch(Incoming(make_actor(), "/ping now please"))
    assert caught.value.usage == "ping"
    assert calls == []


async def test_missing_required_argument_names_it_and_shows_usage() -> None:
    router, _ = recording_router()
    with pytest.raises(UsageError) as caught:
        await router.dispatch(Incoming(make_actor(), "/pair"))
    assert caught.value.argument == "first"
    assert caught.value.usage == "pair <first> [second]"
    assert "pair <first> [second]" in (caught.value.hint or "")


async def test_choices_are_checked_case_insensitively() -> None:
    router, calls = recording_router()
    await router.dispatch(Incoming(make_actor(), "mode ON"))
    assert calls == [("mode", {"mode": "on"})]
    with pytest.raises(UsageError) as caught:
        await router.dispatch(Incoming(make_actor(), "mode maybe"))
    assert caught.value.argument == "mode"


async def test_unknown_slash_command_suggests_close_names() -> None:
    router, _ = recording_router()
    with pytest.raises(UnknownCommandError) as caught:
        await router.dispatch(Incoming(make_actor(), "/ehco hi"))
    assert caught.value.suggestions[0] == "echo"


async def test_lone_mistyped_word_is_an_unknown_command() -> None:
    router, _ = recording_router()
    with pytest.raises(UnknownCommandError) as caught:
        await router.dispatch(Incoming(make_actor(), "pnig"))
    assert "ping" in caught.value.suggestions


async def test_unknown_command_never_echoes_mass_mentions() -> None:
    router, _ = recording_router()
    with pytest.raises(UnknownCommandError) as caught:
        await router.dispatch(Incoming(make_actor(), "/@everyone"))
    assert "@everyone" not in caught.value.user_message


async def test_moderator_command_refuses_others_and_runs_for_moderators() -> None:
    router, calls = recording_router()
    with pytest.raises(PermissionDeniedError):
        await router.dispatch(Incoming(make_actor(), "purge"))
    assert calls == []
    await router.dispatch(Incoming(make_actor(moderator=True), "purge"))
    assert calls == [("purge", {})]


def test_router_refuses_a_table_command_without_handler() -> None:
    async def chat(actor: Actor, text: str) -> Reply:
        return Reply(text="")

    with pytest.raises(ValueError, match="echo"):
        Router(CommandTable([ECHO]), {}, chat)


def test_table_rejects_clashing_names() -> None:
    with pytest.raises(ValueError, match="twice"):
        CommandTable([PING, Command("pong", "Other.", aliases=("P",))])


def test_shipped_table_names_are_unique_and_documented() -> None:
    names = [c.name for c in COMMANDS] + [a for c in COMMANDS for a in c.aliases]
    assert len(names) == len({n.casefold() for n in names})
    for command in COMMANDS:
        assert command.summary.endswith(".")
        assert command.examples, command.name


class OneMention(NoReferences):
    def plain(self, text: str) -> str:
        return text.replace("<@1>", "@ada")


async def test_chat_reaches_the_handler_with_markup_written_out() -> None:
    router, calls = recording_router()
    await router.dispatch(
        Incoming(make_actor(), "how long for <@1> to learn sql?", None, OneMention())
    )
    assert calls == [("<chat>", {"text": "how long for @ada to learn sql?"})]
