"""The mentoring timer: expiries, matching the queues, follow-ups, moderators' reminders.

Each step is claimed in the store before anyone is told (UPDATE ... WHERE ... RETURNING),
so two processes, a restart or a late tick never act twice.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date

from bot.core.mentoring.matchmaker import Matchmaker
from bot.core.mentoring.notices import followup_reply, learner_news, when
from bot.core.mentoring.ports import EXPIRIES_BEFORE_PAUSE, MentorKey, MentorProfiles
from bot.core.mentoring.records import (
    FOLLOWUP_GRACE,
    MentorRequest,
    MentorRequestStore,
    Offer,
)
from bot.core.messages import Field, Platform, Reply
from bot.core.ports import Clock, ModeratorNotifier

log = logging.getLogger(__name__)


class MentoringTimer:
    """Run everything that falls due: one tick a minute is enough."""

    def __init__(
        self,
        store: MentorRequestStore,
        matchmaker: Matchmaker,
        profiles: MentorProfiles,
        moderators: Mapping[Platform, ModeratorNotifier],
        clock: Clock,
    ) -> None:
        self._store = store
        self._matchmaker = matchmaker
        self._profiles = profiles
        self._moderators = moderators
        self._clock = clock

    async def tick(self) -> int:
        """Expire, end, match, follow up and remind; return how many things were done."""
        done = 0
        for offer, request in await self._store.expire_due(self._clock.now()):
            await self._expired(offer, request)
            done += 1
        done += len(await self._store.end_unanswered(self._clock.now(), FOLLOWUP_GRACE))
        # Every community with a queue: a mentor may have signed up, resumed or freed a place.
        for platform, space_id in await self._store.spaces_waiting():
            done += len(await self._matchmaker.match(platform, space_id))
        for pairing in await self._store.due_followups(self._clock.now()):
            asked = await self._store.get(pairing.request_id)
            name = self._matchmaker.topic_name(asked.topic) if asked else "your topic"
            for member in pairing.members():
                await self._matchmaker.tell(
                    pairing.platform, pairing.space_id, member, followup_reply(pairing, name)
                )
            done += 1
        now = self._clock.now()
        done += await self._remind(await self._store.remind_due(now, now.date()))
        return done

    async def _expired(self, offer: Offer, request: MentorRequest) -> None:
        key = MentorKey(request.platform, request.space_id, offer.mentor_id)
        name = self._matchmaker.topic_name(request.topic)
        await self._matchmaker.tell(
            request.platform,
            request.space_id,
            request.learner_id,
            learner_news(
                "The mentor asked did not answer in time; the next best mentor will be asked.",
                name,
            ),
        )
        before = await self._profiles.get(key)
        if before is None:
            return  # they left meanwhile
        in_row = await self._profiles.count_expiry(key)
        if before.paused_on(self._clock.now().date()):
            return  # paused already (several offers expired at once): told once is enough
        if in_row < EXPIRIES_BEFORE_PAUSE:
            await self._matchmaker.tell(
                key.platform,
                key.space_id,
                key.user_id,
                Reply(
                    text=f"Mentoring request #{offer.id} on {name} expired without an answer and "
                    "went to another mentor."
                ),
            )
            return
        reason = f"{in_row} offers expired in a row"
        await self._profiles.set_pause(key, date.max, reason)
        await self._matchmaker.tell(
            key.platform,
            key.space_id,
            key.user_id,
            Reply(
                title="Your mentoring is paused",
                text=f"{in_row} mentoring offers in a row expired without an answer (the last: "
                f"#{offer.id} on {name}), so you get no new offers for now. Come back any time "
                "with `mentor resume`.",
            ),
        )

    async def _remind(self, requests: list[MentorRequest]) -> int:
        """Tell each community's moderators of its requests waiting longer than a day."""
        by_space: dict[tuple[Platform, str], list[MentorRequest]] = {}
        for request in requests:
            by_space.setdefault((request.platform, request.space_id), []).append(request)
        for (platform, space_id), waiting in by_space.items():
            moderators = self._moderators.get(platform)
            if moderators is None:
                continue
            fields = tuple(
                Field(
                    f"#{r.id} {self._matchmaker.topic_name(r.topic)}",
                    f"waiting since {when(r.requested_at)}",
                )
                for r in waiting
            )
            reply = Reply(
                title="Mentoring requests waiting",
                text=f"{len(waiting)} mentoring request(s) have waited more than a day for a "
                "mentor with room. More mentors on these topics would help.",
                fields=fields,
            )
            if not await moderators.tell_moderators(space_id, waiting[0].channel_id, reply):
                log.info(
                    "no moderator of %s %s could be told of waiting requests", platform, space_id
                )
        return len(requests)
