"""Forms: which fields a form command shows on Discord and Slack, and when one opens.

A form is another way to type a command's arguments: its fields are the arguments, its
submission is a `Call` of the typed text, and the router converts that with the same
converters as a typed line, so validation stays in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from bot.core.arguments import split_arguments
from bot.core.commands import Access, Argument, CommandPath, CommandTable
from bot.core.converters import Choice, Integer, Kind, Text
from bot.core.errors import UsageError
from bot.core.messages import Actor, Button, Call, Reply
from bot.core.requests import walk

FORM_ID_PREFIX = "rb:form:"  # then the command's full name: the form's id on each platform
LINE_LENGTH = 100  # a field of another kind (a timezone, a date) is one short line
REOPEN_LABEL = "Open the form again"


@dataclass(frozen=True, slots=True)
class FormField:
    """One field of a form: an argument as a text input."""

    key: str  # the argument key, which is the field's id on every platform
    label: str
    hint: str  # shown as the placeholder
    long: bool  # a paragraph rather than one line
    required: bool
    max_length: int


@dataclass(frozen=True, slots=True)
class OpenForm:
    """A form to show: for which command, its fields, and the values already given."""

    path: CommandPath
    fields: tuple[FormField, ...]
    values: Mapping[str, str] = field(default_factory=dict)  # prefilled text, by key

    @property
    def title(self) -> str:
        """Return the title: the form's own, else the command's full name."""
        form = self.path.leaf.form
        return (form.title if form is not None else "") or self.path.key

    @property
    def form_id(self) -> str:
        """Return the id a submission comes back with (Discord custom_id, Slack callback_id)."""
        return FORM_ID_PREFIX + self.path.key


def form_fields(path: CommandPath) -> tuple[FormField, ...]:
    """Return the fields of the form of path's command, in order (none without a form)."""
    command = path.leaf
    long = command.form.long if command.form is not None else ()
    return tuple(_field(argument, argument.key in long) for argument in command.form_arguments)


def _field(argument: Argument, long: bool) -> FormField:
    kind = argument.kind
    hint = argument.help
    if isinstance(kind, Choice):
        hint = f"{hint} ({', '.join(kind.options)})"
    elif isinstance(kind, Integer):
        hint = f"{hint} ({kind.low}-{kind.high})"
    return FormField(argument.key, argument.name, hint, long, argument.required, _longest(kind))


def _longest(kind: Kind) -> int:
    """Return the most characters a value of kind can take, so the form refuses more at once."""
    if isinstance(kind, Text):
        return kind.max_length
    if isinstance(kind, Integer):
        return max(len(str(kind.low)), len(str(kind.high)))
    if isinstance(kind, Choice):
        return max(len(option) for option in kind.options)
    return LINE_LENGTH


def form_for_line(table: CommandTable, line: str, actor: Actor) -> OpenForm | None:
    """Return the form to open for a typed line, or None when the line runs as it is."""
    words = line.strip().lstrip("/").split()
    command = table.get(words[0]) if words else None
    if command is None:
        return None
    try:
        path, rest = walk(command, words[1:])
        given = split_arguments(path, rest)
    except UsageError:
        return None  # the line's own error says more than a form would
    return _wanted(path, given, actor)


def form_for_call(table: CommandTable, call: Call, actor: Actor) -> OpenForm | None:
    """Return the form to open for a platform's options, or None when the call runs as it is."""
    path = table.path(call.command)
    if path is None or path.leaf.is_group or call.form:
        return None  # a submitted form is never answered with the form once more
    given = {key: str(value) for key, value in call.options.items()
             if isinstance(value, str | int) and not isinstance(value, bool)}  # fmt: skip
    return _wanted(path, given, actor)


def _wanted(path: CommandPath, given: Mapping[str, str], actor: Actor) -> OpenForm | None:
    """Open a form command's form when a required argument is missing (or nothing is given)."""
    command = path.leaf
    if command.form is None:
        return None
    if path.access is Access.MODERATOR and not actor.is_moderator:
        return None  # the command itself says who may use it
    filled = {key: value for key, value in given.items() if value.strip()}
    missing = any(a.required and a.key not in filled for a in command.arguments)
    if filled and not missing:
        return None
    fields = form_fields(path)
    keys = {f.key for f in fields}
    return OpenForm(path, fields, {k: v for k, v in filled.items() if k in keys})


def form_path(table: CommandTable, form_id: str) -> CommandPath | None:
    """Return the command a submitted form belongs to, or None when the id names no form."""
    if not form_id.startswith(FORM_ID_PREFIX):
        return None
    path = table.path(form_id.removeprefix(FORM_ID_PREFIX))
    return path if path is not None and path.leaf.form is not None else None


def submitted_call(path: CommandPath, values: Mapping[str, str | None]) -> Call:
    """Return the call a form submission makes: the fields of its form, as typed."""
    keys = {a.key for a in path.leaf.form_arguments}
    options = {k: v for k, v in values.items() if k in keys and v is not None and v.strip()}
    return Call(path.key, options, form=True)


def with_reopen_button(reply: Reply, command: str) -> Reply:
    """Return a failed submission's reply with a button that opens the form once more."""
    # Running the command without its arguments opens its form again (see form_for_line).
    return replace(reply, buttons=(*reply.buttons, Button(REOPEN_LABEL, command=command)))
