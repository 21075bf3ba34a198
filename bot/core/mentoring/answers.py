"""A mentor's answer to an offer (accept, decline) and both sides' "did you meet?"."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.core.errors import BotError, PermissionDeniedError
from bot.core.mentoring.availability import Availability, parse_availability
from bot.core.mentoring.matchmaker import Matchmaker
from bot.core.mentoring.notices import introductions, learner_news
from bot.core.mentoring.ports import MentorKey, MentorProfiles
from bot.core.mentoring.profiles import mentor_key
from bot.core.mentoring.records import Answer, MentorRequestStore, OfferAnswer, Pairing
from bot.core.messages import Actor, Reply
from bot.core.ports import Clock
from bot.core.requests import Request

# The study job's hook: a held session counts for the mentee's streak (once per pairing).
SessionHook = Callable[[Actor, int], Awaitable[object]]


class OfferDesk:
    """Answer `mentor accept <id>` and `mentor decline <id>` (the offer's buttons)."""

    def __init__(
        self,
        store: MentorRequestStore,
        matchmaker: Matchmaker,
        profiles: MentorProfiles,
        clock: Clock,
    ) -> None:
        self._store = store
        self._matchmaker = matchmaker
        self._profiles = profiles
        self._clock = clock

    async def accept(self, request: Request) -> Reply:
        """Take the offer: the pairing starts and both get an introduction."""
        answer = await self._answer(request, accept=True)
        pairing, stored = answer.pairing, answer.request
        if pairing is None or stored is None:  # TAKEN on accept always carries both
            raise BotError("That offer could not be accepted.")
        key = MentorKey(pairing.platform, pairing.space_id, pairing.mentor_id)
        profile = await self._profiles.get(key)
        await self._profiles.clear_expiries(key)
        hours = _hours(profile.hours, profile.timezone) if profile else None
        name = self._matchmaker.topic_name(stored.topic)
        mentor_name = profile.display_name if profile else request.actor.display_name
        to_mentor, to_learner = introductions(
            pairing,
            stored,
            name,
            mentor_name,
            hours or Availability(stored.timezone, ()),
            self._clock.now().date(),
        )
        await self._matchmaker.tell(
            pairing.platform, pairing.space_id, pairing.learner_id, to_learner
        )
        await self._matchmaker.tell(
            pairing.platform, pairing.space_id, pairing.mentor_id, to_mentor
        )
        return Reply(
            text=f"Thank you! You are now mentoring on {name} (pairing #{pairing.id}); "
            "an introduction is on its way to you both.",
            ephemeral=True,
        )

    async def decline(self, request: Request) -> Reply:
        """Pass the offer on: the learner is told and the next best mentor is asked."""
        answer = await self._answer(request, accept=False)
        stored = answer.request
        if stored is None:
            raise BotError("That offer could not be declined.")
        await self._profiles.clear_expiries(mentor_key(request.actor))
        name = self._matchmaker.topic_name(stored.topic)
        await self._matchmaker.tell(
            stored.platform,
            stored.space_id,
            stored.learner_id,
            learner_news(
                "The mentor asked could not take your request; another mentor "
                "will be asked as soon as one has room.",
                name,
            ),
        )
        await self._matchmaker.match(stored.platform, stored.space_id)
        return Reply(
            text=f"Declined: the request on {name} goes to another mentor.", ephemeral=True
        )

    async def _answer(self, request: Request, *, accept: bool) -> OfferAnswer:
        actor = request.actor
        offer_id = request.get("id", int) or 0
        now = self._clock.now()
        found = await self._store.find_offer(offer_id)
        if found is None or (found[1].platform, found[1].space_id) != (
            actor.platform,
            actor.space_id,
        ):
            raise BotError(f"There is no mentoring offer #{offer_id} here.")
        settings = await self._store.settings(actor.platform, actor.space_id)
        answer = await self._store.answer_offer(
            offer_id, actor.user_id, accept, now, now + settings.followup
        )
        if answer.outcome is Answer.NOT_YOURS:
            raise PermissionDeniedError("That offer was made to another mentor.")
        if answer.outcome is Answer.TOO_LATE:
            raise BotError("That offer has expired and goes to another mentor; thank you anyway.")
        if answer.outcome is Answer.ALREADY:
            state = answer.offer.state.value if answer.offer else "answered"
            raise BotError(f"That offer is {state} already; nothing changed.")
        return answer


class FollowupDesk:
    """Answer `mentor met <pairing> yes|no` (the follow-up's buttons)."""

    def __init__(self, store: MentorRequestStore, on_session: SessionHook, clock: Clock) -> None:
        self._store = store
        self._on_session = on_session
        self._clock = clock

    async def met(self, request: Request) -> Reply:
        """Record the answer once; the first "yes" counts the session for the mentee."""
        actor = request.actor
        pairing_id = request.get("id", int) or 0
        met = request.text("answer") == "yes"
        answer = await self._store.answer_followup(
            pairing_id, actor.platform, actor.space_id, actor.user_id, met, self._clock.now()
        )
        if answer.outcome is Answer.UNKNOWN:
            raise BotError(f"There is no mentoring pairing #{pairing_id} here.")
        if answer.outcome is Answer.NOT_YOURS:
            raise PermissionDeniedError("Only the mentor and the mentee of a pairing answer it.")
        if answer.outcome is Answer.ALREADY:
            raise BotError("You have answered this one already; nothing changed.")
        if answer.first_meeting and answer.pairing is not None:
            stored = await self._store.get(answer.pairing.request_id)
            name = stored.learner_name if stored is not None else answer.pairing.learner_id
            await self._on_session(_mentee(answer.pairing, name), answer.pairing.id)
        text = "Great, noted: it counts for the mentee's streak." if met else "Noted, thank you."
        return Reply(text=text, ephemeral=True)


def _mentee(pairing: Pairing, name: str) -> Actor:
    """Return the mentee as the actor of their learning event (whoever answered "yes")."""
    return Actor(pairing.platform, pairing.space_id, "", pairing.learner_id, name)


def _hours(text: str, timezone: str) -> Availability | None:
    try:
        return parse_availability(text, timezone)
    except (ValueError, LookupError):
        return None
