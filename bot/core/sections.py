"""What a job adds to `config show` (its settings) and to `about` (what it keeps)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.core.messages import Actor, Field


@dataclass(frozen=True, slots=True)
class SettingsSection:
    """One job's settings: a title, the command that changes them, and how to read them."""

    title: str  # e.g. "Streaks"
    command: str  # the full name of the subcommand that changes them, e.g. "config streaks"
    read: Callable[[Actor], Awaitable[tuple[Field, ...]]]  # the actor's community's values


# A job's sentences for `about`'s privacy text, for the actor's community: what it keeps
# there depends on that community's settings (e.g. whether declined questions are kept).
PrivacyNote = Callable[[Actor], Awaitable[str]]
