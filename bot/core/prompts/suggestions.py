"""`prompt suggest|suggestions|approve|reject`: members suggest prompts, moderators decide."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Final

from bot.core.errors import BotError
from bot.core.knowledge import Stage
from bot.core.messages import Button, Field, Platform, Reply
from bot.core.ports import Clock, MemberKey, Reach
from bot.core.prompts.alerts import ModeratorAlerts
from bot.core.prompts.authoring import UnknownPrompt, draft_of, shown_id
from bot.core.prompts.library import Author, CustomPrompt, CustomState, PromptLibrary
from bot.core.prompts.ports import ChannelTarget
from bot.core.requests import Request
from bot.core.sanitize import quote_user_text

log = logging.getLogger(__name__)

PENDING_MOST: Final = 5  # suggestions one member may have waiting at once
LISTED_MOST: Final = 10  # suggestions `prompt suggestions` shows (the oldest first)
PREVIEW_LENGTH: Final = 300  # of a suggestion's body, in a moderator's list or notice


class TooManySuggestions(BotError):
    """The member has PENDING_MOST suggestions waiting already."""

    code = "too_many_suggestions"


class AlreadyDecided(BotError):
    """A moderator decided this suggestion before; nothing changes."""

    code = "already_decided"


class PromptSuggestions:
    """Keep members' suggestions pending, tell moderators, and carry out their decision."""

    def __init__(
        self,
        library: PromptLibrary,
        stages: Sequence[Stage],
        reach: Reach,
        alerts: ModeratorAlerts,
        clock: Clock,
    ) -> None:
        self._library = library
        self._stages = tuple(stages)
        self._reach = reach
        self._alerts = alerts
        self._clock = clock

    async def suggest(self, request: Request) -> Reply:
        """Store a member's prompt as pending and show it to the moderators with two buttons."""
        draft = draft_of(request, self._stages)
        actor = request.actor
        custom = self._library.custom
        waiting = await custom.pending_by(actor.platform, actor.space_id, actor.user_id)
        if waiting >= PENDING_MOST:
            raise TooManySuggestions(
                f"You have {waiting} suggestions waiting already; thank you! "
                "Suggest more once a moderator has looked at them."
            )
        author = Author(actor.user_id, actor.display_name)
        stored = await custom.add(
            actor.platform, actor.space_id, draft, CustomState.PENDING, author, self._clock.now()
        )
        name = quote_user_text(author.name, 40) or "a member"
        notice = Reply(
            title="A daily prompt was suggested",
            text=f"{name} suggests `{stored.id}`: {_preview(stored.title, stored.body)}",
            fields=(
                Field("Difficulty", stored.difficulty, inline=True),
                Field("Topics", ", ".join(stored.topics), inline=True),
            ),
            buttons=(
                Button("Approve", command=f"prompt approve {stored.id}"),
                Button("Reject", command=f"prompt reject {stored.id}"),
            ),
        )
        where = ChannelTarget(actor.platform, actor.space_id, actor.channel_id)
        await self._alerts.tell_moderators(where, notice)
        return Reply(
            title="Thanks for your suggestion",
            text=f"`{stored.id}` waits for a moderator; you will hear the outcome by direct "
            "message.",
            ephemeral=True,
        )

    async def pending(self, request: Request) -> Reply:
        """List the suggestions waiting, oldest first, with how to decide each."""
        actor = request.actor
        waiting = await self._library.custom.pending(actor.platform, actor.space_id)
        if not waiting:
            return Reply(
                title="No suggestions waiting",
                text="Members suggest prompts with `prompt suggest`.",
                ephemeral=True,
            )
        fields = tuple(
            Field(
                f"{s.prompt.id} by {quote_user_text(s.author.name, 40) or 'a member'}",
                _preview(s.prompt.title, s.prompt.body),
            )
            for s in waiting[:LISTED_MOST]
        )
        more = (
            f" ({len(waiting) - LISTED_MOST} more after these)"
            if len(waiting) > LISTED_MOST
            else ""
        )
        return Reply(
            title=f"{len(waiting)} suggestion(s) waiting",
            text=f"Decide with `prompt approve <id>` or `prompt reject <id> [reason]`.{more}",
            fields=fields,
            ephemeral=True,
        )

    async def approve(self, request: Request) -> Reply:
        """Put a pending suggestion in the rotation, then tell who suggested it."""
        decided = await self._decide(request, CustomState.ACTIVE)
        prompt = decided.prompt
        await self._tell_author(
            request.actor.platform,
            decided,
            Reply(
                title="Your prompt suggestion was approved",
                text=f"`{prompt.id}` ({prompt.title}) is in the rotation now. Thanks!",
            ),
        )
        return Reply(
            title=f"Approved {prompt.title}",
            text=f"`{prompt.id}` is in the rotation now. Take it out again with "
            f"`prompt retire {prompt.id}`.",
            ephemeral=True,
        )

    async def reject(self, request: Request) -> Reply:
        """Mark a pending suggestion rejected, then tell who suggested it (and why, if given)."""
        decided = await self._decide(request, CustomState.REJECTED)
        prompt = decided.prompt
        reason = quote_user_text(request.text("reason") or "", 200)
        because = f" The moderators say: {reason}" if reason else ""
        await self._tell_author(
            request.actor.platform,
            decided,
            Reply(
                title="Your prompt suggestion was not taken",
                text=f"`{prompt.id}` ({prompt.title}) will not be posted.{because}",
            ),
        )
        return Reply(
            title=f"Rejected {prompt.title}",
            text=f"`{prompt.id}` will not be posted.",
            ephemeral=True,
        )

    async def _decide(self, request: Request, state: CustomState) -> CustomPrompt:
        """Decide a pending suggestion once (the UPDATE's WHERE); refuse a second decision."""
        actor = request.actor
        prompt_id = (request.text("id") or "").strip().casefold()
        custom = self._library.custom
        found = await custom.find(actor.platform, actor.space_id, prompt_id)
        if found is None:
            raise UnknownPrompt(
                f"No suggestion `{shown_id(prompt_id)}` in this community.",
                hint="`prompt suggestions` lists the ones waiting.",
            )
        if not await custom.decide(
            actor.platform, actor.space_id, prompt_id, state, actor.user_id, self._clock.now()
        ):
            now = await custom.find(actor.platform, actor.space_id, prompt_id)
            was = now.state if now is not None else found.state
            word = "approved" if was is CustomState.ACTIVE else "rejected"
            raise AlreadyDecided(f"`{prompt_id}` was {word} already; nothing changed.")
        return found

    async def _tell_author(
        self, platform: Platform, suggestion: CustomPrompt, reply: Reply
    ) -> None:
        """Send the outcome to the member privately; a DM that fails is only logged."""
        notifier = self._reach.notifiers.get(platform)
        if notifier is None:
            log.info("no notifier to tell the author of %s on %s", suggestion.prompt.id, platform)
            return
        try:
            await notifier.direct(MemberKey(platform, suggestion.author.user_id), reply)
        except Exception:  # the decision stands; only the message did not reach them
            log.warning("cannot tell the author of %s", suggestion.prompt.id, exc_info=True)


def _preview(title: str, body: str) -> str:
    """Return a member's prompt in one safe paragraph: no pings, no markup, cut short."""
    return f"{quote_user_text(title, 100)}. {quote_user_text(body, PREVIEW_LENGTH)}"
