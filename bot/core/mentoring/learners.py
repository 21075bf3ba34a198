"""`mentor request`, `mentor status`, `mentor cancel`: a learner's side of the queue."""

from __future__ import annotations

from typing import Final

from bot.core.errors import BotError, UsageError
from bot.core.knowledge import KnowledgeBase
from bot.core.mentoring.availability import parse_availability
from bot.core.mentoring.matchmaker import Matchmaker
from bot.core.mentoring.notices import when
from bot.core.mentoring.ports import MentorKey, MentorProfiles
from bot.core.mentoring.profile_input import usage_of
from bot.core.mentoring.records import (
    MentorRequest,
    MentorRequestStore,
    NewRequest,
    RequestState,
)
from bot.core.mentoring.request_commands import check_context
from bot.core.messages import Actor, Field, Reply
from bot.core.ports import Clock, MemberRepository, SpaceRepository
from bot.core.requests import Request
from bot.core.timezones import member_timezone

# Without `hours:`, a learner is taken to be free in the evening, every day, in their zone.
DEFAULT_HOURS: Final = "daily 18:00-22:00"
CANCEL_USAGE = "mentor cancel [topic]"


def topic_id_of(value: object) -> str:
    """Return the id of a Topic argument's value (a Topic, or its id without a resolver)."""
    return str(getattr(value, "id", value))


def stage_of(knowledge: KnowledgeBase, topic_id: str) -> int:
    """Return the index of the canonical stage holding topic_id (0 when on none)."""
    for index, stage in enumerate(knowledge.stages):
        if topic_id in stage.topics:
            return index
    return 0


class LearnerDesk:
    """Answer a learner's `mentor request`, `mentor status` and `mentor cancel`."""

    def __init__(
        self,
        store: MentorRequestStore,
        matchmaker: Matchmaker,
        profiles: MentorProfiles,
        members: MemberRepository,
        spaces: SpaceRepository,
        knowledge: KnowledgeBase,
        clock: Clock,
        default_timezone: str,
    ) -> None:
        self._store = store
        self._matchmaker = matchmaker
        self._profiles = profiles
        self._members = members
        self._spaces = spaces
        self._knowledge = knowledge
        self._clock = clock
        self._default_timezone = default_timezone

    async def request(self, request: Request) -> Reply:
        """Queue a request, match the queue at once, and say where the request stands."""
        actor = request.actor
        topic = topic_id_of(request.values.get("topic"))
        if self._knowledge.topic(topic) is None:  # the Topic kind resolves it; a guard
            raise UsageError(
                "Name a roadmap topic, e.g. `docker`.", usage=usage_of(request), argument="topic"
            )
        context = " ".join((request.text("context") or "").split())
        thin = check_context(context)
        if thin is not None:
            raise UsageError(f"Please {thin}.", usage=usage_of(request), argument="context")
        zone = await self._timezone(actor)
        hours = request.text("hours") or DEFAULT_HOURS
        try:
            parse_availability(hours, zone)
        except ValueError as problem:
            raise UsageError(
                f"`hours`: {problem}.", usage=usage_of(request), argument="hours"
            ) from None
        stored = await self._store.add(
            NewRequest(
                actor.platform,
                actor.space_id,
                actor.user_id,
                actor.display_name,
                actor.channel_id,
                topic,
                context,
                hours,
                zone,
                stage_of(self._knowledge, topic),
                self._clock.now(),
            )
        )
        name = self._matchmaker.topic_name(topic)
        if stored is None:
            raise BotError(
                f"You already have an open request on {name}: see `mentor status`, "
                "or `mentor cancel` it first."
            )
        if await self._matchmaker.match_new(stored):
            text = "A mentor has been asked; you will hear privately when they answer."
        else:
            place = await self._store.place(stored)
            text = (
                f"No mentor has room for it right now, so it waits in the queue: you are "
                f"number {place}. You will hear privately when a mentor is asked."
            )
        return Reply(title=f"Mentoring request on {name} (#{stored.id})", text=text, ephemeral=True)

    async def status(self, request: Request) -> Reply:
        """List the learner's open requests: their state, place, and mentor once accepted."""
        actor = request.actor
        mine = await self._store.open_of(actor.platform, actor.space_id, actor.user_id)
        if not mine:
            return Reply(
                text="You have no open mentoring request. Ask with "
                "`mentor request <topic> <what you are stuck on>`.",
                ephemeral=True,
            )
        fields = [
            Field(f"#{r.id} {self._matchmaker.topic_name(r.topic)}", await self._line(r))
            for r in mine
        ]
        return Reply(
            title="Your mentoring requests",
            text="Withdraw one with `mentor cancel <topic>`.",
            fields=tuple(fields),
            ephemeral=True,
        )

    async def _line(self, request: MentorRequest) -> str:
        asked = f"asked {when(request.requested_at)}"
        if request.state is RequestState.WAITING:
            return f"waiting: number {await self._store.place(request)} in the queue ({asked})"
        if request.state is RequestState.OFFERED:
            # The mentor is named only once they accept.
            return f"offered to a mentor, waiting for their answer ({asked})"
        pairing = await self._store.pairing_of(request.id)
        mentor = "your mentor"
        if pairing is not None:
            key = MentorKey(request.platform, request.space_id, pairing.mentor_id)
            profile = await self._profiles.get(key)
            mentor = profile.display_name if profile is not None else mentor
        return f"matched with {mentor}"

    async def cancel(self, request: Request) -> Reply:
        """Withdraw an open request that has no mentor yet; a pending offer is taken back."""
        actor = request.actor
        mine = await self._store.open_of(actor.platform, actor.space_id, actor.user_id)
        value = request.values.get("topic")
        if value is not None:
            topic = topic_id_of(value)
            mine = [r for r in mine if r.topic == topic]
        if not mine:
            raise UsageError(
                "You have no open request on that topic: see `mentor status`.",
                usage=CANCEL_USAGE,
                argument="topic",
            )
        if len(mine) > 1:
            names = ", ".join(f"`{r.topic}`" for r in mine)
            raise UsageError(
                f"You have several open requests ({names}): name the topic.",
                usage=CANCEL_USAGE,
                argument="topic",
            )
        target = mine[0]
        name = self._matchmaker.topic_name(target.topic)
        closed = await self._store.cancel(target.id, self._clock.now())
        if closed is None:
            raise BotError(
                f"Your request on {name} is matched already; talk to your mentor, "
                "or answer the follow-up when it comes."
            )
        _, withdrawn = closed
        if withdrawn is not None:
            await self._matchmaker.tell(
                actor.platform,
                actor.space_id,
                withdrawn.mentor_id,
                Reply(
                    text=f"Mentoring request #{withdrawn.id} on {name} was withdrawn by the "
                    "learner; nothing to do.",
                ),
            )
            # The mentor's place is free again: someone waiting may fit them.
            await self._matchmaker.match(actor.platform, actor.space_id)
        return Reply(text=f"Your mentoring request on {name} is withdrawn.", ephemeral=True)

    async def _timezone(self, actor: Actor) -> str:
        """Return the learner's zone, else the community's default, else the bot's."""
        return await member_timezone(self._members, self._spaces, actor, self._default_timezone)
