"""The one table of commands that every adapter exposes."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from bot.core.converters import Channel, Choice, Kind, Member, Role, Text


class Access(StrEnum):
    """Who may run a command."""

    EVERYONE = "everyone"
    MODERATOR = "moderator"


@dataclass(frozen=True, slots=True)
class Argument:
    """One argument of a command: a stable key, its type, and how it reads in help.

    `key` is what services and platforms use (a Discord option name, a request value); it never
    changes when the help text does. `rest` takes all remaining words; `trailing` is taken from
    the last word when that word fits (e.g. `progress command line done`).
    """

    key: str
    help: str
    kind: Kind = field(default_factory=Text)
    label: str = ""  # shown in usage lines; the key when empty
    required: bool = False
    rest: bool = False
    trailing: bool = False

    @property
    def name(self) -> str:
        """Return the label shown to people."""
        return self.label or self.key

    @property
    def choices(self) -> tuple[str, ...]:
        """Return the fixed options, when the argument is a choice."""
        return self.kind.options if isinstance(self.kind, Choice) else ()

    @property
    def autocomplete(self) -> str | None:
        """Return what platforms may suggest while it is typed ("topic", "timezone", ...)."""
        return self.kind.autocomplete

    def usage(self) -> str:
        """Return the argument as it appears in a usage line."""
        label = "|".join(self.choices) if self.choices else self.name
        label += "…" if self.rest else ""
        return f"<{label}>" if self.required else f"[{label}]"


MAX_FORM_FIELDS = 5  # Discord's limit for a modal, the smaller of the platforms with forms
FORM_TITLE_LIMIT = 24  # Slack's limit for a modal's title, the smaller of the two


@dataclass(frozen=True, slots=True)
class Form:
    """How a command reads as a form (a modal) on the platforms that have them.

    `fields` are argument keys in order (every argument when empty); `long` are the fields
    shown as paragraphs. Where there are no forms (the console), the same arguments are typed
    as `key:value` words.
    """

    title: str = ""  # the command's full name when empty
    fields: tuple[str, ...] = ()
    long: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Command:
    """A command: its name, arguments (or subcommands), one-line help and who may run it.

    A command with `subcommands` is a group: it takes no arguments of its own, and its
    subcommands may be groups once more (Discord allows command -> group -> subcommand).
    """

    name: str
    summary: str
    arguments: tuple[Argument, ...] = ()
    access: Access = Access.EVERYONE  # a subcommand is also bound by its groups' access
    aliases: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    group: str = "General"  # the heading help lists a top-level command under
    details: str = field(default="")
    usage_line: str = ""  # the whole line by hand (parent names too), when that reads better
    personal: bool = False  # answers about the asker: platforms show them privately by default
    subcommands: tuple[Command, ...] = ()
    default: str = ""  # text platforms: the subcommand run when the next word names none
    form: Form | None = None  # opened on Discord and Slack when required arguments are missing

    def __post_init__(self) -> None:
        if self.subcommands and self.arguments:
            raise ValueError(f"{self.name}: a command has arguments or subcommands, not both")
        if self.form is not None:
            _check_form(self, self.form)
        names = [n.casefold() for sub in self.subcommands for n in (sub.name, *sub.aliases)]
        if len(names) != len(set(names)):
            raise ValueError(f"{self.name}: a subcommand name is used twice")
        if self.default and self.default.casefold() not in names:
            raise ValueError(f"{self.name}: the default {self.default!r} is no subcommand")

    @property
    def form_arguments(self) -> tuple[Argument, ...]:
        """Return the arguments its form asks for, in order (none without a form)."""
        if self.form is None:
            return ()
        if not self.form.fields:
            return self.arguments
        by_key = {a.key: a for a in self.arguments}
        return tuple(by_key[key] for key in self.form.fields)

    @property
    def is_group(self) -> bool:
        """Say whether the command only leads to subcommands."""
        return bool(self.subcommands)

    def subcommand(self, word: str) -> Command | None:
        """Return the subcommand called word (or an alias of it), or None."""
        folded = word.casefold()
        return next(
            (s for s in self.subcommands if folded in (n.casefold() for n in (s.name, *s.aliases))),
            None,
        )

    @property
    def default_subcommand(self) -> Command | None:
        """Return the subcommand text platforms run when the next word names none."""
        return self.subcommand(self.default) if self.default else None

    @property
    def reads_prose(self) -> bool:
        """Say whether the group's default reads free text, so any word may start it (`ask`)."""
        default = self.default_subcommand
        return default is not None and any(
            a.rest and isinstance(a.kind, Text) for a in default.arguments
        )

    def suggest_subcommand(self, word: str) -> tuple[str, ...]:
        """Return subcommand names that look like word, closest first."""
        names = [s.name for s in self.subcommands]
        return tuple(difflib.get_close_matches(word.casefold(), names, 3, 0.6))

    def usage(self) -> str:
        """Return the usage line, e.g. `timezone [IANA name]` or `config show|streaks …`."""
        if self.usage_line:
            return self.usage_line
        if self.subcommands:
            return f"{self.name} {'|'.join(s.name for s in self.subcommands)} …"
        return " ".join([self.name, *(arg.usage() for arg in self.arguments)])


@dataclass(frozen=True, slots=True)
class CommandPath:
    """A command reached from the top of the table: `config`, then `streaks`."""

    commands: tuple[Command, ...]

    @property
    def leaf(self) -> Command:
        """Return the last command of the path (the one whose arguments are parsed)."""
        return self.commands[-1]

    @property
    def names(self) -> tuple[str, ...]:
        """Return the names along the path, e.g. ("config", "streaks")."""
        return tuple(c.name for c in self.commands)

    @property
    def key(self) -> str:
        """Return the full name, e.g. "config streaks" (how handlers are registered)."""
        return " ".join(self.names)

    @property
    def access(self) -> Access:
        """Return who may run it: a moderators' group keeps all its subcommands for them."""
        moderated = any(c.access is Access.MODERATOR for c in self.commands)
        return Access.MODERATOR if moderated else Access.EVERYONE

    def usage(self) -> str:
        """Return the usage line with the parent names, e.g. `config streaks [setting] [value]`."""
        leaf = self.leaf
        if leaf.usage_line:
            return leaf.usage_line
        return " ".join([*self.names[:-1], leaf.usage()])

    def then(self, command: Command) -> CommandPath:
        """Return this path followed by one of its subcommands."""
        return CommandPath((*self.commands, command))


class CommandTable:
    """An ordered, name-unique collection of commands with lookup and suggestions."""

    def __init__(self, commands: Iterable[Command]) -> None:
        self._commands = tuple(commands)
        self._by_name: dict[str, Command] = {}
        for command in self._commands:
            _check_depth(command, 0)
            for name in (command.name, *command.aliases):
                if name.casefold() in self._by_name:
                    raise ValueError(f"command name {name!r} is used twice")
                self._by_name[name.casefold()] = command

    def __iter__(self) -> Iterator[Command]:
        return iter(self._commands)

    def __len__(self) -> int:
        return len(self._commands)

    def get(self, name: str) -> Command | None:
        """Return the command called name (or an alias of it), or None."""
        return self._by_name.get(name.casefold())

    def path(self, full_name: str | Sequence[str]) -> CommandPath | None:
        """Return the path named by words (names or aliases), e.g. "config streaks", or None."""
        words = full_name.split() if isinstance(full_name, str) else list(full_name)
        command = self.get(words[0]) if words else None
        if command is None:
            return None
        path = CommandPath((command,))
        for word in words[1:]:
            sub = path.leaf.subcommand(word)
            if sub is None:
                return None
            path = path.then(sub)
        return path

    def reached(self, words: Sequence[str]) -> CommandPath | None:
        """Return the path a typed line leads to: its subcommand names, then defaults."""
        path = self.path(words[:1])
        for word in words[1:]:
            if path is None or (sub := path.leaf.subcommand(word)) is None:
                break
            path = path.then(sub)
        while path is not None and (default := path.leaf.default_subcommand) is not None:
            path = path.then(default)
        return path

    def paths(self) -> Iterator[CommandPath]:
        """Yield every path of the table, groups before their subcommands, in table order."""
        for command in self._commands:
            yield from _below(CommandPath((command,)))

    def runnable(self) -> Iterator[CommandPath]:
        """Yield every path that takes arguments rather than subcommands."""
        return (path for path in self.paths() if not path.leaf.is_group)

    def complete(self, line: str) -> tuple[str, ...]:
        """Return the command or subcommand names that complete the last word of line."""
        words = line.split()
        if not line or line[-1].isspace():
            words.append("")  # completing a new word
        *before, partial = words
        if not before:
            names = [n for c in self._commands for n in (c.name, *c.aliases)]
        else:
            path = self.path(before)
            names = [s.name for s in path.leaf.subcommands] if path is not None else []
        return tuple(n for n in names if n.startswith(partial.casefold()))

    def suggest(self, name: str, limit: int = 3) -> tuple[str, ...]:
        """Return command names that look like name, closest first."""
        matches = difflib.get_close_matches(name.casefold(), self._by_name, limit, 0.6)
        return tuple(dict.fromkeys(self._by_name[m].name for m in matches))

    def visible_to(self, is_moderator: bool) -> tuple[Command, ...]:
        """Return the commands a person may run."""
        return tuple(c for c in self._commands if is_moderator or c.access is Access.EVERYONE)


def subcommand_names(commands: Iterable[Command]) -> frozenset[str]:
    """Return the names and aliases of every subcommand below commands, at any depth."""
    found: set[str] = set()
    for command in commands:
        for sub in command.subcommands:
            found.update((sub.name, *sub.aliases))
        found |= subcommand_names(command.subcommands)
    return frozenset(found)


def _check_form(command: Command, form: Form) -> None:
    """Refuse a form that a platform could not show, or whose submission could never run."""
    name = command.name
    if command.subcommands:
        raise ValueError(f"{name}: a group has no form; give it to a subcommand")
    keys = {a.key for a in command.arguments}
    unknown = sorted((set(form.fields) | set(form.long)) - keys)
    if unknown:
        raise ValueError(f"{name}: the form names arguments the command lacks: {unknown}")
    fields = form.fields or tuple(a.key for a in command.arguments)
    if not fields:
        raise ValueError(f"{name}: a form needs at least one field")
    if len(fields) > MAX_FORM_FIELDS:
        raise ValueError(f"{name}: a form has at most {MAX_FORM_FIELDS} fields, not {len(fields)}")
    if len(set(fields)) != len(fields):
        raise ValueError(f"{name}: a form field is listed twice")
    if set(form.long) - set(fields):
        raise ValueError(f"{name}: a long field must be one of the form's fields")
    missing = [a.key for a in command.arguments if a.required and a.key not in fields]
    if missing:
        raise ValueError(f"{name}: the form leaves out required arguments {missing}")
    # A modal holds text inputs only: nobody can type a mention there.
    mentions = [a.key for a in command.arguments if a.key in fields
                and isinstance(a.kind, Member | Channel | Role)]  # fmt: skip
    if mentions:
        raise ValueError(f"{name}: members, channels and roles cannot be form fields: {mentions}")
    if len(form.title) > FORM_TITLE_LIMIT:
        raise ValueError(f"{name}: a form title has at most {FORM_TITLE_LIMIT} characters")


MAX_DEPTH = 2  # levels below the top: command -> group -> subcommand, as on Discord


def _check_depth(command: Command, depth: int) -> None:
    if command.subcommands and depth >= MAX_DEPTH:
        raise ValueError(
            f"{command.name}: subcommands may nest {MAX_DEPTH} levels below a command at most"
        )
    for sub in command.subcommands:
        _check_depth(sub, depth + 1)


def _below(path: CommandPath) -> Iterator[CommandPath]:
    yield path
    for sub in path.leaf.subcommands:
        yield from _below(path.then(sub))
