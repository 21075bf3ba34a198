"""The mentoring job: mentors' profiles and blocks, learners' requests, offers, follow-ups."""

from __future__ import annotations

import logging

from bot.core.mentoring.answers import FollowupDesk, OfferDesk, SessionHook
from bot.core.mentoring.blocks import MentorBlockDesk
from bot.core.mentoring.desk import MentoringDesk
from bot.core.mentoring.learners import LearnerDesk
from bot.core.mentoring.matchmaker import Matchmaker
from bot.core.mentoring.profiles import MentorDesk, profile_handlers
from bot.core.mentoring.queue import QueueMatcher
from bot.core.mentoring.ticks import MentoringTimer
from bot.jobs.kit import Job, Shared, TimerSpec
from bot.storage.mentoring.blocks import SqlMentorBlocks
from bot.storage.mentoring.profiles import SqlMentorProfiles
from bot.storage.mentoring.requests import SqlMentorRequests

log = logging.getLogger(__name__)

TICK_MINUTES = 1.0  # offers expire and follow-ups fall due on the minute


def mentoring_job(shared: Shared, matcher: QueueMatcher, on_session: SessionHook) -> Job:
    """Wire both sides on the tables: handlers, the one-minute timer, `config show`'s part.

    on_session counts a mentoring session that was held as study (the study job's hook).
    """
    clock, private = shared.clock, shared.private
    store = SqlMentorRequests(shared.sessions)
    profiles = SqlMentorProfiles(shared.sessions)
    blocks = SqlMentorBlocks(shared.sessions)
    matchmaker = Matchmaker(store, profiles, blocks, private, matcher, shared.knowledge, clock)
    learners = LearnerDesk(
        store,
        matchmaker,
        profiles,
        shared.members,
        shared.spaces,
        shared.knowledge,
        clock,
        shared.settings.default_timezone,
    )
    offers = OfferDesk(store, matchmaker, profiles, clock)
    followups = FollowupDesk(store, on_session, clock)
    desk = MentoringDesk(store)
    timer = MentoringTimer(store, matchmaker, profiles, shared.reach.moderators, clock)
    # The matchmaker is the profile side's Handback: a leaving or pausing mentor's offers
    # (and, on leave, pairings) go back to the queue and are matched again.
    mentors = MentorDesk(
        profiles, matchmaker, shared.knowledge, shared.members, shared.spaces, clock
    )
    handlers = {
        **profile_handlers(mentors, MentorBlockDesk(blocks)),
        "mentor request": learners.request,
        "mentor status": learners.status,
        "mentor cancel": learners.cancel,
        "mentor accept": offers.accept,
        "mentor decline": offers.decline,
        "mentor met": followups.met,
        "mentor stats": desk.stats,
        "config mentoring": desk.configure,
    }
    return Job(
        "mentoring",
        handlers,
        settings=(desk.section(),),
        # At start too: offers that expired while the bot was down are re-offered at once.
        timers=(TimerSpec("mentoring", TICK_MINUTES, timer.tick),),
    )
