"""Neutral message types: who is talking (Actor), what came in, and what goes back (Reply)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


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
class Incoming:
    """One message from an actor; event_id is the platform's id used to drop redeliveries."""

    actor: Actor
    text: str
    event_id: str | None = None


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
