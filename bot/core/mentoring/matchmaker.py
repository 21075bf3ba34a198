"""Matching the queue to mentors, offering, and handing work back (the Handback port).

A community's whole queue is matched at once (a QueueMatcher: the largest total fit, older
requests first among equals), off the event loop; a new request is matched on its own at once
(queue.best_mentor), since the requests already waiting found no mentor with room at the last
run. Each pair becomes an offer only if the store lets this process claim the request and the
mentor still has room, so two processes never offer it twice nor overfill a mentor.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from bot.core.knowledge import KnowledgeBase
from bot.core.mentoring.availability import Availability, parse_availability
from bot.core.mentoring.fit import (
    FitContext,
    LearnerRequest,
    Mentor,
    Pair,
    TopicRelation,
    pair_of,
    related_topics,
    topic_links,
)
from bot.core.mentoring.notices import learner_news, offer_reply
from bot.core.mentoring.ports import MentorBlocks, MentorKey, MentorProfile, MentorProfiles
from bot.core.mentoring.queue import QueueMatcher, best_mentor
from bot.core.mentoring.records import MentorRequest, MentorRequestStore, Offer
from bot.core.messages import Platform, Reply
from bot.core.ports import Clock, MemberKey, PrivateMessenger

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Made:
    """An offer made by a matching run, with its request."""

    offer: Offer
    request: MentorRequest


class Matchmaker:
    """Match a community's queue to its mentors and send the offers; take work back."""

    def __init__(
        self,
        store: MentorRequestStore,
        profiles: MentorProfiles,
        blocks: MentorBlocks,
        private: PrivateMessenger,
        matcher: QueueMatcher,
        knowledge: KnowledgeBase,
        clock: Clock,
    ) -> None:
        self._store = store
        self._profiles = profiles
        self._blocks = blocks
        self._private = private
        self._matcher = matcher
        self._knowledge = knowledge
        self._related: TopicRelation = related_topics(knowledge)
        self._links = topic_links(knowledge)
        self._clock = clock

    def topic_name(self, topic_id: str) -> str:
        """Return a topic's name (its id if the knowledge base lost it)."""
        topic = self._knowledge.topic(topic_id)
        return topic.name if topic is not None else topic_id

    async def tell(self, platform: Platform, space_id: str, user_id: str, reply: Reply) -> None:
        """Tell one member privately (held for their next message if the DM is refused)."""
        await self._private.send(MemberKey(platform, user_id), reply, space_id=space_id)

    async def match(
        self,
        platform: Platform,
        space_id: str,
        *,
        quiet: int | None = None,
        skip: Collection[str] = (),
    ) -> list[Made]:
        """Offer the community's waiting requests to the best mentors with room; return them.

        The learner of request quiet is not told (they are answered directly); mentors in
        skip get nothing this run (one being handed work back).
        """
        waiting = await self._store.waiting(platform, space_id)
        if not waiting:
            return []
        now = self._clock.now()
        mentors = await self._mentors(platform, space_id, now.date(), skip)
        if not mentors:
            return []
        by_key = {(r.learner_id, r.topic): r for r in waiting}
        learners = [_learner(r) for r in waiting]
        context = await self._context(platform, waiting, mentors, now.date())
        assignment = await asyncio.to_thread(self._matcher.match, learners, mentors, context)
        by_id = {mentor.member_id: mentor for mentor in mentors}
        pairs = [(by_key[(lr.member_id, lr.topic)], by_id[m]) for lr, m in assignment.pairs]
        return await self._offer(platform, space_id, pairs, quiet)

    async def match_new(self, request: MentorRequest) -> bool:
        """Offer a new request to its best mentor with room at once; False when none has room.

        One request against the community's mentors is a few thousand cheap steps
        (queue.best_mentor), so it runs inline; the whole queue is matched by the timer.
        Only mentors offering the topic or a related one are read: no other may take it.
        """
        platform, space_id = request.platform, request.space_id
        now = self._clock.now()
        near = {request.topic, *self._links.get(request.topic, ())}
        learner = _learner(request)
        # Only blocks with the learner matter to one request (not those among mentors), and
        # no mentor can have passed on a request just made: no exclusions to read.
        kept = await self._blocks.blocked_with(platform, request.learner_id)
        blocked = frozenset(pair_of(request.learner_id, other) for other in kept)
        context = FitContext(self._related, week=now.date(), blocked=blocked)
        passed: set[str] = set()
        # Profiles are read from a short cache; an offer re-checks its mentor under a lock.
        # When that finds the cache stale (paused, left or full meanwhile), read afresh.
        for fresh in (False, True, True):
            mentors = await self._mentors(platform, space_id, now.date(), passed, near, fresh)
            best = best_mentor(learner, mentors, context)
            if best is None:
                return False
            if await self._offer(platform, space_id, [(request, best[0])], request.id):
                return True
            passed.add(best[0].member_id)
        return False

    async def _context(
        self,
        platform: Platform,
        requests: Collection[MentorRequest],
        mentors: Collection[Mentor],
        today: date,
    ) -> FitContext:
        """Return the fit context of a queue: blocks, and mentors who passed on a request."""
        people = {r.learner_id for r in requests} | {m.member_id for m in mentors}
        blocked: set[Pair] = set(await self._blocks.pairs_among(platform, people))
        # A mentor who declined a learner's request, or let it expire, is not asked again
        # about that learner's open requests: the next best mentor gets them.
        excluded = await self._store.excluded([r.id for r in requests])
        for request in requests:
            blocked.update(pair_of(request.learner_id, m) for m in excluded[request.id])
        return FitContext(self._related, week=today, blocked=frozenset(blocked))

    async def _offer(
        self,
        platform: Platform,
        space_id: str,
        pairs: Collection[tuple[MentorRequest, Mentor]],
        quiet: int | None,
    ) -> list[Made]:
        """Claim and send an offer for each (request, mentor id); tell learners but quiet."""
        if not pairs:
            return []
        now = self._clock.now()
        deadline = now + (await self._store.settings(platform, space_id)).deadline
        made: list[Made] = []
        for request, mentor in pairs:
            mentor_id = mentor.member_id
            offer = await self._store.offer(request.id, mentor_id, now, deadline)
            if offer is None:
                continue  # cancelled meanwhile, or another process offered it first
            made.append(Made(offer, request))
            name = self.topic_name(request.topic)
            await self.tell(
                platform,
                space_id,
                mentor_id,
                offer_reply(offer, request, name, mentor.availability.timezone),
            )
            if request.id != quiet:
                await self.tell(
                    platform,
                    space_id,
                    request.learner_id,
                    learner_news(
                        "A mentor has been asked to take your request; you will hear when they "
                        "answer.",
                        name,
                    ),
                )
        return made

    async def _mentors(
        self,
        platform: Platform,
        space_id: str,
        today: date,
        skip: Collection[str],
        topics: Collection[str] | None = None,
        fresh: bool = False,
    ) -> list[Mentor]:
        """Return the community's mentors who take offers today, with their places taken.

        With topics, only those offering one of them (in the same order; fresh: uncached).
        """
        taken = await self._store.load(platform, space_id)
        if topics is None:
            profiles = await self._profiles.in_space(platform, space_id)
        else:
            profiles = await self._profiles.for_topics(platform, space_id, topics, fresh=fresh)
        mentors = []
        for profile in profiles:
            if profile.paused_on(today) or profile.key.user_id in skip:
                continue
            mentor = _mentor(profile, taken.get(profile.key.user_id, 0))
            if mentor is not None and mentor.spare > 0:
                mentors.append(mentor)
        return mentors

    async def release(self, key: MentorKey, *, active_too: bool) -> int:
        """Withdraw the mentor's pending offers (and active pairings), tell learners, rematch."""
        requests = await self._store.release(
            key.platform, key.space_id, key.user_id, active_too=active_too, now=self._clock.now()
        )
        for request in requests:
            await self.tell(
                request.platform,
                request.space_id,
                request.learner_id,
                learner_news(
                    "Your mentor is no longer available, so your request is back in the queue at "
                    "its original place; another mentor will be asked.",
                    self.topic_name(request.topic),
                ),
            )
        if requests:
            await self.match(key.platform, key.space_id, skip={key.user_id})
        return len(requests)


def _learner(request: MentorRequest) -> LearnerRequest:
    return LearnerRequest(
        request.learner_id,
        request.topic,
        request.stage,
        _availability(request.hours, request.timezone),  # parsed once, not on every tick
        request.requested_at,
    )


@functools.lru_cache(maxsize=4096)
def _availability(hours: str, timezone: str) -> Availability:
    """Return parsed weekly hours; every run reads every mentor's, which rarely change."""
    return parse_availability(hours, timezone)


def _mentor(profile: MentorProfile, taken: int) -> Mentor | None:
    """Return the profile as a Mentor, or None when its hours cannot be read."""
    try:
        hours = _availability(profile.hours, profile.timezone)
    except (ValueError, LookupError) as error:
        # The profile side checks hours at signup; a mentor whose hours no longer read is
        # left out rather than stopping the whole community's matching.
        log.warning("mentor %s: unreadable hours (%s)", profile.key.user_id, error)
        return None
    return Mentor(
        profile.key.user_id, profile.topics, profile.level, hours, profile.capacity, active=taken
    )
