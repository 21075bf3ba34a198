"""Forms in the core: the table's checks, the fields, when a form opens, and its submission."""

from __future__ import annotations

import pytest

from bot.core.commands import Argument, Command, CommandPath, Form
from bot.core.converters import Choice, Member, Text
from bot.core.forms import (
    FormField,
    form_fields,
    form_for_call,
    form_for_line,
    form_path,
    submitted_call,
)
from bot.core.general.help import HelpService
from bot.core.messages import Button, Call, Incoming
from tests.fakes import make_actor
from tests.forms_demo import TABLE, TYPED, VALID, demo_dispatcher

DEMO_PATH = TABLE.path("demo")
MEMBER = make_actor()
MODERATOR = make_actor(moderator=True)


def text_arguments(count: int) -> tuple[Argument, ...]:
    return tuple(Argument(f"a{i}", "Some text.", Text(10)) for i in range(count))


def test_a_form_shows_each_argument_as_a_field_with_its_limits() -> None:
    assert DEMO_PATH is not None
    assert form_fields(DEMO_PATH) == (
        FormField("title", "title", "A short title.", False, True, 80),
        FormField("body", "body", "The whole text.", True, True, 1500),
        FormField("level", "level", "How hard it is. (easy, medium, hard)", False, True, 6),
        FormField("count", "count", "How many. (1-5)", False, False, 1),
    )


@pytest.mark.parametrize(
    ("form", "arguments", "problem"),
    [
        (Form(), text_arguments(6), "at most 5 fields"),
        (
            Form(fields=("a0",)),
            (*text_arguments(1), Argument("b", "B.", required=True)),
            "required",
        ),
        (Form(fields=("nope",)), text_arguments(1), "lacks"),
        (Form(long=("a1",), fields=("a0",)), text_arguments(2), "long field"),
        (Form(), (Argument("who", "Someone.", Member()),), "members"),
        (Form(title="A title far too long for Slack"), text_arguments(1), "title"),
        (Form(), (), "at least one field"),
    ],
)
def test_the_table_refuses_a_form_no_platform_could_show(
    form: Form, arguments: tuple[Argument, ...], problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        Command("x", "X.", arguments, form=form)


def test_a_group_has_no_form() -> None:
    with pytest.raises(ValueError, match="group"):
        Command("g", "G.", subcommands=(Command("s", "S."),), form=Form())


def test_a_form_opens_when_a_required_argument_is_missing() -> None:
    opened = form_for_line(TABLE, "demo", MEMBER)
    assert opened is not None and opened.path.key == "demo"
    assert (opened.title, opened.form_id) == ("Try the demo", "rb:form:demo")
    assert dict(opened.values) == {}
    # What was typed is kept in the form; a complete line runs as it is.
    half = form_for_line(TABLE, "/demo title:Hash maps", MEMBER)
    assert half is not None and dict(half.values) == {"title": "Hash maps"}
    assert form_for_line(TABLE, "demo title:a body:b level:easy", MEMBER) is None
    assert form_for_line(TABLE, "next", MEMBER) is None  # no form
    assert form_for_line(TABLE, "demo level:easy level:hard", MEMBER) is None  # its own error
    # A form is opened only for those who may run the command.
    assert form_for_line(TABLE, "locked", MEMBER) is None
    assert form_for_line(TABLE, "locked", MODERATOR) is not None


def test_a_platform_call_opens_the_form_unless_it_is_a_submission() -> None:
    opened = form_for_call(TABLE, Call("demo", {"count": 2}), MEMBER)
    assert opened is not None and dict(opened.values) == {"count": "2"}
    assert form_for_call(TABLE, Call("demo", {"count": 2}, form=True), MEMBER) is None
    assert form_for_call(TABLE, Call("demo", dict(TYPED)), MEMBER) is None


def test_a_submission_names_its_command_and_keeps_the_fields_typed() -> None:
    assert form_path(TABLE, "rb:form:demo") == DEMO_PATH
    assert form_path(TABLE, "rb:form:next") is None  # not a form command
    assert form_path(TABLE, "rb:cmd:demo") is None
    call = submitted_call(DEMO_PATH, {**VALID, "count": " ", "stray": "x"})  # type: ignore[arg-type]
    assert call == Call("demo", {k: v for k, v in VALID.items() if k != "count"}, form=True)


async def test_a_valid_submission_reaches_the_handler_with_typed_values_once() -> None:
    dispatcher, recorded = demo_dispatcher()
    incoming = Incoming(MEMBER, "demo", "form:1", call=submitted_call(DEMO_PATH, VALID))  # type: ignore[arg-type]
    reply = await dispatcher.handle(incoming)
    assert reply is not None and reply.error is None
    assert await dispatcher.handle(incoming) is None  # redelivered: handled once
    assert recorded.values == [TYPED]
    assert recorded.runs[0].event_id == "form:1"


async def test_an_invalid_submission_names_the_field_and_offers_the_form_again() -> None:
    dispatcher, recorded = demo_dispatcher()
    call = submitted_call(DEMO_PATH, {**VALID, "count": "9"})  # type: ignore[arg-type]
    reply = await dispatcher.handle(Incoming(MEMBER, "demo", "form:2", call=call))
    assert reply is not None and (reply.error, reply.argument) == ("usage", "count")
    assert reply.ephemeral and "`count`" in reply.text
    assert reply.buttons == (Button("Open the form again", command="demo"),)
    assert recorded.runs == []
    # A typed line with the same mistake is not a form's: no button there.
    line = await dispatcher.handle(Incoming(MEMBER, "demo title:a body:b level:easy count:9"))
    assert line is not None and line.argument == "count" and line.buttons == ()


async def test_key_value_words_run_the_form_command_where_there_are_no_forms() -> None:
    dispatcher, recorded = demo_dispatcher()
    line = "demo title:Hash maps body:Explain this: buckets. Then collisions. level:hard count:2"
    reply = await dispatcher.handle(Incoming(MEMBER, line))
    assert reply is not None and reply.error is None, reply
    # A text field runs on to the next key, over words that only look like keys ("this:").
    assert recorded.values == [
        {"title": "Hash maps", "body": "Explain this: buckets. Then collisions.",
         "level": "hard", "count": 2}
    ]  # fmt: skip


def test_help_says_where_the_form_opens_and_how_to_name_its_fields() -> None:
    reply = HelpService(TABLE).explain("demo")
    form = next(f.value for f in reply.fields if f.name == "Form")
    assert "On Discord and Slack, `demo` alone opens a form" in form
    assert "`demo title:… body:… level:… count:…`" in form


def test_a_choice_field_hint_lists_every_option() -> None:
    command = Command(
        "c", "C.", (Argument("pick", "Pick.", Choice(("a", "b")), required=True),), form=Form()
    )
    (field,) = form_fields(CommandPath((command,)))
    assert field.hint == "Pick. (a, b)" and field.max_length == 1
