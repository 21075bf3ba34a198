"""The name of the thread a mention is answered in: the question itself, readable."""

from __future__ import annotations

import re

import discord

from bot.adapters.discord.references import DiscordReferences

THREAD_NAME_LIMIT = 100  # Discord refuses longer thread names
FALLBACK_NAME = "Question"
_MASS_MENTION = re.compile(r"@(?:everyone|here)\b")
# Markdown that a thread name would show literally; `_` stays (snake_case words).
_MARKUP = re.compile(r"[*`~|]")


def thread_name(question: str, message: discord.Message) -> str:
    """Return a thread name for question (the bot's own mention already removed).

    Other mentions are written out as the names people see, mass mentions are dropped, and
    the result is cut at a word to Discord's limit; it is never empty.
    """
    text = _plain_names(message).plain(question)
    text = _MARKUP.sub("", _MASS_MENTION.sub(" ", text))
    return shorten(" ".join(text.split()), THREAD_NAME_LIMIT) or FALLBACK_NAME


def shorten(text: str, limit: int) -> str:
    """Return text cut to at most limit characters, at a word boundary when one is near."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:  # a word boundary not too far back
        cut = cut[:space]
    return cut.rstrip() + "…"


def _plain_names(message: discord.Message) -> DiscordReferences:
    """Return references that write mentions as bare names (no @: a thread name is not a ping)."""
    names = {str(u.id): getattr(u, "display_name", u.name) for u in message.mentions}
    names |= {f"&{r.id}": r.name for r in message.role_mentions}
    names |= {f"#{c.id}": f"#{getattr(c, 'name', 'channel')}" for c in message.channel_mentions}
    return DiscordReferences(names)
