"""Recording learning: one event for the member's local day, kept once per platform event."""

from __future__ import annotations

import uuid
from datetime import date

from bot.core.members import member_key
from bot.core.messages import Actor
from bot.core.ports import Clock
from bot.core.study.context import StudyContext, StudyContexts
from bot.core.study.ports import LearningEvent, LearningEventRepository, Recorded
from bot.core.study.streaks import local_date


class StudyRecorder:
    """Store learning events: check-ins here, and what other jobs report (a finished topic)."""

    def __init__(
        self, events: LearningEventRepository, contexts: StudyContexts, clock: Clock
    ) -> None:
        self._events = events
        self._contexts = contexts
        self._clock = clock

    async def record(
        self,
        actor: Actor,
        context: StudyContext,
        kind: str,
        source: str | None,
        minutes: int = 0,
        note: str = "",
    ) -> tuple[Recorded, date]:
        """Record learning for the member's local day; return what was stored and that day."""
        now = self._clock.now()
        day = local_date(now, context.timezone)
        event = LearningEvent(
            key=member_key(actor),
            space_id=actor.space_id,
            kind=kind,
            # Without a platform event id (the console) every call is a new event.
            source=source or f"{kind}:{uuid.uuid4().hex}",
            occurred_at=now,
            local_date=day,
            minutes=minutes,
            note=note,
        )
        # Totals, rules and the privacy flag are decided by storage from current data.
        return await self._events.record(event, actor.display_name), day

    async def topic_done(self, actor: Actor, topic_id: str, event_id: str | None) -> None:
        """Count a finished roadmap topic as study (once per platform event and topic)."""
        context = await self._contexts.of(member_key(actor), actor.space_id)
        # The same message may finish several topics one day: the topic keeps them apart.
        source = f"topic:{topic_id}:{event_id}" if event_id else None
        await self.record(actor, context, "topic_done", source)

    async def prompt_answered(self, actor: Actor, event_id: str | None) -> int | None:
        """Count an answer to a daily prompt as study; return the streak (None if not new).

        The platform's event id is the source, so a redelivered answer counts once.
        """
        context = await self._contexts.of(member_key(actor), actor.space_id)
        recorded, _ = await self.record(actor, context, "prompt_answer", event_id)
        return recorded.streak.current if recorded.streak is not None else None

    async def mentoring_session(self, actor: Actor, pairing_id: int) -> int | None:
        """Count a held mentoring session as the mentee's study; return the streak if new.

        The pairing is the source, so the session counts once however many times (and from
        however many members and processes) it is reported.
        """
        context = await self._contexts.of(member_key(actor), actor.space_id)
        source = f"mentoring:{actor.space_id}:{pairing_id}"
        recorded, _ = await self.record(actor, context, "mentor_session", source)
        return recorded.streak.current if recorded.streak is not None else None
