"""Neutral message types: who is talking (Actor), what came in, and what goes back (Reply)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol


class Platform(StrEnum):
    """Chat platforms the bot can talk on."""

    CONSOLE = "console"
    DISCORD = "discord"
    SLACK = "slack"


@dataclass(frozen=True, slots=True)
class Actor:
    """A person talking to the bot, as one platform sees them."""

    platform: Platform
    space_id: str  # Discord guild, Slack workspace, or "local" for the console
    channel_id: str
    user_id: str  # unique on its platform (adapters qualify ids that are not)
    display_name: str
    is_moderator: bool = False
    space_name: str = ""


@dataclass(frozen=True, slots=True)
class MemberRef:
    """A person on one platform, as an argument names them."""

    platform: Platform
    user_id: str  # the same id the platform's Actor would carry for them
    display_name: str = ""


@dataclass(frozen=True, slots=True)
class ChannelRef:
    """A channel of the actor's space."""

    channel_id: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class RoleRef:
    """A role (Discord) or user group (Slack) of the actor's space."""

    role_id: str
    name: str = ""


class References(Protocol):
    """Turns one word a person typed into a reference; each adapter knows its own syntax."""

    def member(self, word: str) -> MemberRef | None:
        """Return the member word names (a mention), or None."""
        ...

    def channel(self, word: str) -> ChannelRef | None:
        """Return the channel word names, or None."""
        ...

    def role(self, word: str) -> RoleRef | None:
        """Return the role word names, or None."""
        ...

    def plain(self, text: str) -> str:
        """Return free text with the platform's markup written out (`<@1>` -> `@ada`)."""
        ...


class NoReferences:
    """References for lines that cannot name anyone (buttons, the bot's own command lines)."""

    def member(self, word: str) -> MemberRef | None:
        """Return None: nobody can be named here."""
        return None

    def channel(self, word: str) -> ChannelRef | None:
        """Return None: no channel can be named here."""
        return None

    def role(self, word: str) -> RoleRef | None:
        """Return None: no role can be named here."""
        return None

    def plain(self, text: str) -> str:
        """Return text as it is: it has no markup."""
        return text


NO_REFERENCES = NoReferences()


@dataclass(frozen=True, slots=True)
class Call:
    """A command a platform has already split into options (Discord's slash commands).

    Values are keyed by the table's argument keys: text for what a person typed, and already
    typed values (int, MemberRef, ChannelRef, RoleRef) where the platform has native types.
    """

    command: str  # the full name: "checkin", or "config streaks" for a subcommand
    options: Mapping[str, object] = field(default_factory=dict)
    form: bool = False  # the options were typed into the command's form (a modal)


@dataclass(frozen=True, slots=True)
class Incoming:
    """One message from an actor; event_id is the platform's id used to drop redeliveries.

    `text` is a line for the router to parse, unless `call` carries the command ready-split;
    `references` resolves the mentions in text in the platform's own syntax; `thread_id` is
    the platform's thread the message was written in (a reply in a daily prompt's thread);
    `shows_notices` says the adapter renders `Reply.notices` privately for this message.
    """

    actor: Actor
    text: str
    event_id: str | None = None
    references: References = NO_REFERENCES
    call: Call | None = None
    thread_id: str | None = None
    # The adapter can show this actor notices privately beside the answer (an ephemeral
    # message, a DM conversation, the terminal); a mention in a public channel cannot.
    shows_notices: bool = False


@dataclass(frozen=True, slots=True)
class Field:
    """A labelled piece of a reply (an embed field, a Block Kit field, a console line)."""

    name: str
    value: str
    inline: bool = False


@dataclass(frozen=True, slots=True)
class Button:
    """A button that either runs a command line for the clicker or opens a link."""

    label: str
    command: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Image:
    """An image attachment (for example a PNG heatmap) with text for those who cannot see it."""

    filename: str
    data: bytes
    alt_text: str


@dataclass(frozen=True, slots=True)
class Reply:
    """What a service answers; each adapter renders it its own way."""

    text: str
    title: str | None = None
    fields: tuple[Field, ...] = field(default=())
    buttons: tuple[Button, ...] = field(default=())
    image: Image | None = None
    ephemeral: bool = False
    error: str | None = None  # set on failures: the BotError code, or "internal"
    argument: str | None = None  # a usage error's argument key: the form field to mark
    # Private messages held for the asker (their DMs were refused), shown once beside this
    # answer, each privately, as messages of their own.
    notices: tuple[Notice, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Notice:
    """A private message held for a member: what it says and the space it is about.

    Its buttons act in that space, wherever the member reads it.
    """

    reply: Reply
    space_id: str
