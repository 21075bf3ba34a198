"""`prompt add|retire|restore`: moderators shape their community's rotation."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from bot.core.errors import BotError, UsageError
from bot.core.knowledge import Stage
from bot.core.messages import Field, Reply
from bot.core.ports import Clock
from bot.core.prompts.bank import DIFFICULTIES, Prompt
from bot.core.prompts.library import CUSTOM_PREFIX, Author, CustomState, PromptLibrary
from bot.core.requests import Request
from bot.core.sanitize import quote_user_text

# A posted prompt must never ping: Discord's @everyone/@here, Slack's <!channel>, <@U…>, <#C…>.
_PING = re.compile(r"@(everyone|here|channel)\b|<[!@#&]", re.IGNORECASE)
DRAFT_ID: Final = "draft"  # the id a draft carries until storage numbers it


class UnknownPrompt(BotError):
    """No prompt of the bank or of this community has that id."""

    code = "unknown_prompt"


class NothingChanged(BotError):
    """The prompt is already where the moderator asked it to be."""

    code = "nothing_changed"


def draft_of(request: Request, stages: Sequence[Stage]) -> Prompt:
    """Return the prompt a request describes, checked like the bank; UsageError otherwise."""
    usage = request.command.usage()
    texts = {key: (request.text(key) or "").strip() for key in ("title", "body", "hint")}
    for key in ("title", "body"):
        if not texts[key]:
            raise UsageError(f"Give the prompt's {key}.", usage=usage, argument=key)
    if "\n" in texts["title"]:
        raise UsageError("The title must be one line.", usage=usage, argument="title")
    for key, text in texts.items():
        if _PING.search(text):
            raise UsageError(
                f"The {key} may not mention members, roles or the whole channel.",
                usage=usage,
                argument=key,
            )
    topics = request.get("topics", frozenset) or frozenset()
    if not topics:
        raise UsageError(
            "Give at least one roadmap topic, e.g. `topics:sql`.", usage=usage, argument="topics"
        )
    difficulty = next((d for d in DIFFICULTIES if d == request.text("difficulty")), None)
    if difficulty is None:  # the table's Choice makes it one of them
        raise UsageError("Give the difficulty.", usage=usage, argument="difficulty")
    return Prompt(
        DRAFT_ID,
        texts["title"],
        texts["body"],
        difficulty,
        _in_path_order(topics, stages),
        texts["hint"] or None,
    )


def _in_path_order(topics: frozenset[str], stages: Sequence[Stage]) -> tuple[str, ...]:
    """Return topic ids in the roadmap's order: the first is the prompt's main topic."""
    path = [topic for stage in stages for topic in stage.topics]
    known = [topic for topic in path if topic in topics]
    return (*known, *sorted(topics.difference(known)))


def shown_id(prompt_id: str) -> str:
    """Return a typed id safe to quote back."""
    return quote_user_text(prompt_id, 64) or "that"


class PromptAuthoring:
    """Answer `prompt add`, `prompt retire` and `prompt restore` (moderators only)."""

    def __init__(self, library: PromptLibrary, stages: Sequence[Stage], clock: Clock) -> None:
        self._library = library
        self._stages = tuple(stages)
        self._clock = clock

    async def add(self, request: Request) -> Reply:
        """Store a moderator's prompt as active: the next choice of every channel may pick it."""
        draft = draft_of(request, self._stages)
        actor = request.actor
        added = await self._library.custom.add(
            actor.platform,
            actor.space_id,
            draft,
            CustomState.ACTIVE,
            Author(actor.user_id, actor.display_name),
            self._clock.now(),
        )
        return Reply(
            title=f"Added {added.title}",
            text="It is in this community's rotation now. "
            f"Take it out again with `prompt retire {added.id}`.",
            fields=_fields(added),
            ephemeral=True,
        )

    async def retire(self, request: Request) -> Reply:
        """Take a bank or custom prompt out of this community's rotation (restore undoes it)."""
        prompt = await self._in_rotation(request)
        actor = request.actor
        if not await self._library.custom.retire(
            actor.platform, actor.space_id, prompt.id, self._clock.now()
        ):
            raise NothingChanged(
                f"`{prompt.id}` is retired already.",
                hint=f"Bring it back with `prompt restore {prompt.id}`.",
            )
        return Reply(
            title=f"Retired {prompt.title}",
            text="It is no longer chosen in this community; past posts keep it, and one already "
            f"out today stays. This is reversible: `prompt restore {prompt.id}`.",
            ephemeral=True,
        )

    async def restore(self, request: Request) -> Reply:
        """Put a retired prompt back in this community's rotation."""
        prompt = await self._in_rotation(request)
        actor = request.actor
        if not await self._library.custom.restore(actor.platform, actor.space_id, prompt.id):
            raise NothingChanged(f"`{prompt.id}` is not retired; it is in the rotation.")
        return Reply(
            title=f"Restored {prompt.title}",
            text="It is in this community's rotation again.",
            ephemeral=True,
        )

    async def _in_rotation(self, request: Request) -> Prompt:
        """Return the bank or active custom prompt the request names; UnknownPrompt otherwise."""
        actor = request.actor
        prompt_id = (request.text("id") or "").strip().casefold()
        prompt = await self._library.get(actor.platform, actor.space_id, prompt_id)
        if prompt is not None and prompt_id.startswith(CUSTOM_PREFIX):
            found = await self._library.custom.find(actor.platform, actor.space_id, prompt_id)
            if found is None or found.state is not CustomState.ACTIVE:
                raise UnknownPrompt(
                    f"`{prompt_id}` is a suggestion, not in the rotation.",
                    hint="`prompt suggestions` lists the ones waiting.",
                )
        if prompt is None:
            raise UnknownPrompt(
                f"No prompt `{shown_id(prompt_id)}` in this community.",
                hint="`prompt preview` and `prompt history` show prompt ids "
                "(like `sql-top-customers` or `custom-3`).",
            )
        return prompt


def _fields(prompt: Prompt) -> tuple[Field, ...]:
    fields = [
        Field("Id", prompt.id, inline=True),
        Field("Difficulty", prompt.difficulty, inline=True),
        Field("Topics", ", ".join(prompt.topics), inline=True),
    ]
    if prompt.hint:
        fields.append(Field("Hint", "yes", inline=True))
    return tuple(fields)
