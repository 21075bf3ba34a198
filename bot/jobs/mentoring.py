"""The mentoring job (requests side): `mentor request …`, offers, follow-ups, its timer."""

from __future__ import annotations

import logging
from typing import NamedTuple

from bot.core.mentoring.answers import FollowupDesk, OfferDesk, SessionHook
from bot.core.mentoring.desk import MentoringDesk
from bot.core.mentoring.learners import LearnerDesk
from bot.core.mentoring.matching import Solver
from bot.core.mentoring.matchmaker import Matchmaker
from bot.core.mentoring.ports import Handback, MentorBlocks, MentorProfiles
from bot.core.mentoring.ticks import MentoringTimer
from bot.core.ports import PrivateMessenger
from bot.jobs.kit import Job, Shared, TimerSpec
from bot.storage.mentoring.requests import SqlMentorRequests

log = logging.getLogger(__name__)

TICK_MINUTES = 1.0  # offers expire and follow-ups fall due on the minute


class MentoringWiring(NamedTuple):
    """The job, and the Handback the profile side calls when a mentor leaves or pauses."""

    job: Job
    handback: Handback
    matchmaker: Matchmaker  # match(platform, space_id) after a signup or a resume


def mentoring_job(
    shared: Shared,
    private: PrivateMessenger,
    solver: Solver,
    profiles: MentorProfiles,
    blocks: MentorBlocks,
    on_session: SessionHook,
) -> MentoringWiring:
    """Wire the requests side: handlers, the one-minute timer and `config show`'s section."""
    store = SqlMentorRequests(shared.sessions)
    clock = shared.clock
    matchmaker = Matchmaker(store, profiles, blocks, private, solver, shared.knowledge, clock)
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
    handlers = {
        "mentor request": learners.request,
        "mentor status": learners.status,
        "mentor cancel": learners.cancel,
        "mentor accept": offers.accept,
        "mentor decline": offers.decline,
        "mentor met": followups.met,
        "mentor stats": desk.stats,
        "config mentoring": desk.configure,
    }
    job = Job(
        "mentoring",
        handlers,
        settings=(desk.section(),),
        # At start too: offers that expired while the bot was down are re-offered at once.
        timers=(TimerSpec("mentoring", TICK_MINUTES, timer.tick),),
    )
    return MentoringWiring(job, matchmaker, matchmaker)
