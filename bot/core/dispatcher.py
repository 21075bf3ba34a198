"""The front door of the core: de-duplicate, route, and turn every failure into a safe reply."""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace

from bot.core.errors import BotError, UsageError
from bot.core.forms import with_reopen_button
from bot.core.inflight import InFlight
from bot.core.messages import Incoming, Reply
from bot.core.ports import EventLog, HeldNotices, MemberKey, SpaceRepository
from bot.core.private import NOTICES_PER_MESSAGE
from bot.core.router import Router

log = logging.getLogger(__name__)

MAX_INPUT_CHARS = 4000


def error_reply(error: BotError) -> Reply:
    """Return the reply for an expected failure: its message and, when known, a hint."""
    text = error.user_message if not error.hint else f"{error.user_message}\n{error.hint}"
    argument = error.argument if isinstance(error, UsageError) else None
    return Reply(text=text, error=error.code, ephemeral=True, argument=argument)


class Dispatcher:
    """Handle one incoming message and always return a reply a user may see."""

    def __init__(
        self,
        router: Router,
        events: EventLog,
        spaces: SpaceRepository,
        notices: HeldNotices | None = None,
    ) -> None:
        self._router = router
        self._events = events
        self._spaces = spaces
        self._notices = notices  # held private messages, shown beside the member's answer
        self._in_flight = InFlight()

    async def close(self, timeout: float = 10.0) -> None:
        """Take no more messages and wait for those being handled (before storage closes)."""
        await self._in_flight.drain(timeout)

    @property
    def router(self) -> Router:
        """Return the router (adapters read its command table)."""
        return self._router

    async def handle(self, incoming: Incoming) -> Reply | None:
        """Answer incoming; return None when it is a redelivery that was already handled."""
        if self._in_flight.closing:
            return Reply(
                text="I'm restarting; please send that again in a minute.", error="closing"
            )
        async with self._in_flight.track():
            reply = await self._handle(incoming)
            if reply is None:  # a redelivery: its notices (if any) went with the first one
                return None
            return await self._with_notices(incoming, reply)

    async def _with_notices(self, incoming: Incoming, reply: Reply) -> Reply:
        """Add the member's held notices to reply, when the adapter can show them privately."""
        if self._notices is None or not incoming.shows_notices:
            return reply
        key = MemberKey(incoming.actor.platform, incoming.actor.user_id)
        try:
            # take() removes them in the database: two messages at once never both get one.
            notices = await self._notices.take(key, NOTICES_PER_MESSAGE)
        except Exception:  # the answer matters more; the notices wait for the next message
            log.exception("cannot read the held notices of %s", key)
            return reply
        return replace(reply, notices=notices) if notices else reply

    async def _handle(self, incoming: Incoming) -> Reply | None:
        actor = incoming.actor
        try:
            if incoming.event_id is not None and not await self._events.claim(
                actor.platform, incoming.event_id
            ):
                log.info("dropped redelivered %s event %s", actor.platform, incoming.event_id)
                return None
            text = incoming.text.strip()
            if incoming.call is None and not text:
                return Reply(text="I'm listening! Type `help` to see what I can do.")
            if len(text) > MAX_INPUT_CHARS or _too_long(incoming):
                return Reply(
                    text=f"That message is very long. Please keep it under {MAX_INPUT_CHARS} "
                    "characters and ask one thing at a time.",
                    error="too_long",
                )
            await self._spaces.ensure(actor)
            return await self._router.dispatch(incoming)
        except BotError as error:
            if incoming.call is not None and incoming.call.form:
                return with_reopen_button(error_reply(error), incoming.call.command)
            return error_reply(error)
        except Exception:
            # The user gets a short reference they can quote; the traceback stays in the log.
            reference = uuid.uuid4().hex[:8]
            log.exception("unexpected error handling a message (ref %s)", reference)
            return Reply(
                text="Sorry, something went wrong on my side. If it keeps happening, tell a "
                f"moderator this reference: `{reference}`.",
                error="internal",
            )


def _too_long(incoming: Incoming) -> bool:
    """Say whether a platform's ready-split options hold more text than a message may."""
    if incoming.call is None:
        return False
    options = incoming.call.options.values()
    return sum(len(v) for v in options if isinstance(v, str)) > MAX_INPUT_CHARS
