"""The one table of commands that every adapter exposes."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from bot.core.converters import (
    BySetting,
    Choice,
    Duration,
    Integer,
    Kind,
    Member,
    Pair,
    Role,
    Text,
    Timezone,
    Topic,
)


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


@dataclass(frozen=True, slots=True)
class Command:
    """A command: its name, arguments, one-line help and who may run it."""

    name: str
    summary: str
    arguments: tuple[Argument, ...] = ()
    access: Access = Access.EVERYONE
    aliases: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    group: str = "General"
    details: str = field(default="")
    usage_line: str = ""  # for commands whose arguments read better written out by hand
    personal: bool = False  # answers about the asker: platforms show them privately by default

    def usage(self) -> str:
        """Return the usage line, e.g. `timezone [IANA name]`."""
        if self.usage_line:
            return self.usage_line
        return " ".join([self.name, *(arg.usage() for arg in self.arguments)])


class CommandTable:
    """An ordered, name-unique collection of commands with lookup and suggestions."""

    def __init__(self, commands: Iterable[Command]) -> None:
        self._commands = tuple(commands)
        self._by_name: dict[str, Command] = {}
        for command in self._commands:
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

    def suggest(self, name: str, limit: int = 3) -> tuple[str, ...]:
        """Return command names that look like name, closest first."""
        matches = difflib.get_close_matches(name.casefold(), self._by_name, limit, 0.6)
        return tuple(dict.fromkeys(self._by_name[m].name for m in matches))

    def visible_to(self, is_moderator: bool) -> tuple[Command, ...]:
        """Return the commands a person may run."""
        return tuple(c for c in self._commands if is_moderator or c.access is Access.EVERYONE)


STREAK_SETTINGS = ("freeze-every", "max-freezes", "timezone", "reminder-hour", "milestone-role")

HELP = Command(
    name="help",
    summary="List the commands, or explain one.",
    arguments=(Argument("command", "The command to explain.", Text(60, autocomplete="command")),),
    aliases=("commands",),
    examples=("help", "help timezone"),
)
TIMEZONE = Command(
    name="timezone",
    summary="Show or set your timezone (used for daily prompts and streaks).",
    arguments=(
        Argument("zone", "A timezone such as Europe/Berlin.", Timezone(), label="Region/City"),
    ),
    aliases=("tz",),
    examples=("timezone", "timezone Europe/Berlin", "timezone America/New_York"),
    details="Your days (streaks, reminders) start at midnight in this timezone.",
    personal=True,
)
ASK = Command(
    name="ask",
    summary="Ask a question about becoming a backend developer.",
    arguments=(
        Argument("question", "Your question, in your own words.", required=True, rest=True),
    ),
    examples=("ask what should I learn after databases?", "ask how long does it take?"),
    details="You can also just type the question, or mention the bot with it.",
    group="Roadmap",
)
ROADMAP = Command(
    name="roadmap",
    summary="Show the learning path stage by stage, or one topic in detail.",
    arguments=(Argument("topic", "A topic, e.g. docker or databases.", Topic(), rest=True),),
    aliases=("topic",),
    examples=("roadmap", "roadmap databases", "roadmap docker"),
    group="Roadmap",
)
NEXT = Command(
    name="next",
    summary="Suggest what to learn next, from your progress.",
    examples=("next",),
    details="Mark topics with `progress <topic> done` so suggestions move on with you.",
    group="Roadmap",
    personal=True,
)
PROGRESS = Command(
    name="progress",
    summary="Show your progress, or mark a topic done, learning, skip or reset.",
    arguments=(
        Argument("topic", "The topic to update.", Topic(), rest=True),
        Argument(
            "status",
            "What to record for the topic.",
            Choice(("done", "learning", "skip", "reset")),
            trailing=True,
        ),
    ),
    examples=("progress", "progress git done", "progress databases learning", "progress git reset"),
    details="Skipped topics count in neither part of the percentages.",
    group="Roadmap",
    personal=True,
)
RESOURCES = Command(
    name="resources",
    summary="Recommend resources for a topic; rate them or mark them seen.",
    arguments=(
        Argument(
            "query",
            "A topic, then optionally `free` and a kind; or `rate <id> up|down`, `seen <id>`.",
            Text(200, autocomplete="topic"),
            label="topic",
            required=True,
            rest=True,
        ),
    ),
    examples=(
        "resources databases",
        "resources python free course",
        "resources rate bootdev-learn-python up",
        "resources seen bootdev-learn-python",
    ),
    usage_line="resources <topic> [free] [kind] | resources rate <id> up|down "
    "| resources seen <id>",
    details="Kinds: course, docs, book, video, interactive, practice, community, article, tool.",
    group="Roadmap",
    personal=True,
)
CHECKIN = Command(
    name="checkin",
    summary="Record today's study (minutes and what you did are optional).",
    arguments=(
        Argument("minutes", "How long you studied: 30, 45m, 1h30.", Duration()),
        Argument("note", "What you studied, e.g. SQL joins.", Text(200), rest=True),
    ),
    aliases=("check-in",),
    examples=("checkin", "checkin 45", "checkin 30 docker compose tutorial"),
    details="Counts for your local day (your timezone); several check-ins a day add minutes.",
    group="Streaks",
    personal=True,
)
STREAK = Command(
    name="streak",
    summary="Your study streak (or a member's), why it is what it is, and a heatmap.",
    arguments=(Argument("member", "A member to look at (mention them).", Member()),),
    examples=("streak", "streak @ada"),
    details="A freeze is earned for every 7 days in a row (moderators can change this) and "
    "covers one missed day by itself. Today never breaks a streak until it is over.",
    group="Streaks",
    personal=True,
)
LEADERBOARD = Command(
    name="leaderboard",
    summary="Top ten of this community for study days or minutes, and your own place.",
    arguments=(
        Argument("period", "Which period to rank.", Choice(("week", "month", "all"))),
        Argument("metric", "What to rank.", Choice(("streak", "minutes")), trailing=True),
    ),
    aliases=("top",),
    examples=("leaderboard", "leaderboard month minutes", "leaderboard all streak"),
    details="`streak` ranks study days in the week or month, and running streaks for `all`. "
    "Leave the boards with `privacy leaderboard off`.",
    group="Streaks",
)
PRIVACY = Command(
    name="privacy",
    summary="Show or change whether you appear on leaderboards.",
    arguments=(
        Argument("setting", "What to change.", Choice(("leaderboard",))),
        Argument("value", "on or off.", Choice(("on", "off")), trailing=True),
    ),
    examples=("privacy", "privacy leaderboard off", "privacy leaderboard on"),
    details="When you are off the boards, others cannot look up your streak either.",
    group="Streaks",
    personal=True,
)
REMINDERS = Command(
    name="reminders",
    summary="Get a DM in the evening when today's study is not counted yet.",
    arguments=(Argument("switch", "Turn reminders on or off.", Choice(("on", "off"))),),
    aliases=("remind",),
    examples=("reminders", "reminders on", "reminders off"),
    details="Sent at most once a day, at this community's reminder hour in your timezone.",
    group="Streaks",
    personal=True,
)
CONFIG = Command(
    name="config",
    summary="Moderators: show or change this community's streak settings.",
    arguments=(
        Argument("section", "Which settings.", Choice(("streaks",))),
        Argument("setting", "The setting to change.", Choice(STREAK_SETTINGS)),
        Argument(
            "value",
            "The new value.",
            BySetting(
                "setting",
                {
                    "freeze-every": Integer(1, 60),
                    "max-freezes": Integer(0, 10),
                    "timezone": Timezone(),
                    "reminder-hour": Integer(0, 23),
                    "milestone-role": Pair(Choice(("7", "30", "100")), Role(allow_off=True)),
                },
            ),
            rest=True,
        ),
    ),
    access=Access.MODERATOR,
    examples=(
        "config streaks",
        "config streaks freeze-every 5",
        "config streaks timezone Europe/Berlin",
        "config streaks reminder-hour 20",
        "config streaks milestone-role 30 @Consistent",
    ),
    usage_line="config streaks [freeze-every <days> | max-freezes <n> | timezone <Region/City> "
    "| reminder-hour <0-23> | milestone-role <7|30|100> <role|off>]",
    details="Milestone roles are given on Discord when a streak reaches 7, 30 or 100 days.",
    group="Moderators",
)
ABOUT = Command(
    name="about",
    summary="Version, where the roadmap comes from, and what the bot stores about you.",
    examples=("about",),
)

COMMANDS = CommandTable(
    [
        ASK, ROADMAP, NEXT, PROGRESS, RESOURCES,
        CHECKIN, STREAK, LEADERBOARD, REMINDERS, PRIVACY,
        HELP, TIMEZONE, ABOUT, CONFIG,
    ]
)  # fmt: skip
