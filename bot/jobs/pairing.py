"""The pairing-rounds job: the rounds engine on a timer, and the `pairing` commands."""

from __future__ import annotations

import logging

from bot.core.mentoring.matching import Solver
from bot.core.mentoring.rounds.desk import PairingDesk
from bot.core.mentoring.rounds.engine import RoundEngine
from bot.core.mentoring.rounds.membership import PairingMembership
from bot.core.mentoring.rounds.planning import RoundPlanner
from bot.jobs.kit import Job, Shared, TimerSpec
from bot.storage.mentoring.blocks import SqlMentorBlocks
from bot.storage.rounds.channels import SqlPairingChannels
from bot.storage.rounds.members import SqlPairingMembers
from bot.storage.rounds.rounds import SqlPairingRounds

log = logging.getLogger(__name__)

TICK_MINUTES = 1.0  # rounds are due on the minute; each tick is one indexed query


def pairing_job(
    shared: Shared,
    solver: Solver,
) -> Job:
    """Wire the rounds engine (one-minute timer) and the `pairing` and `config pairing` commands.

    Members' blocks (`mentor block`) are honoured by every round.
    """
    sessions, clock, reach, private = shared.sessions, shared.clock, shared.reach, shared.private
    channels = SqlPairingChannels(sessions)
    members = SqlPairingMembers(sessions)
    rounds = SqlPairingRounds(sessions)
    planner = RoundPlanner(members, rounds, SqlMentorBlocks(sessions), reach.members, solver)
    # Rounds run for the platforms this process can tell members on.
    engine = RoundEngine(channels, rounds, planner, private, reach.moderators,
                         lambda: tuple(reach.notifiers))  # fmt: skip
    membership = PairingMembership(channels, members, rounds, clock)
    desk = PairingDesk(channels, members, rounds, planner, shared.spaces, clock,
                       shared.settings.default_timezone)  # fmt: skip

    async def tick() -> int:
        # The first run, at start, holds what fell due while the bot was down (up to a day).
        return await engine.tick(clock.now())

    handlers = {
        "config pairing set": desk.set,
        "config pairing off": desk.off,
        "pairing status": membership.status,
        "pairing join": membership.join,
        "pairing leave": membership.leave,
        "pairing snooze": membership.snooze,
        "pairing skip": membership.skip,
        "pairing met": membership.met,
        "pairing preview": desk.preview,
        "pairing roster": desk.roster,
    }
    return Job(
        "pairing",
        handlers,
        settings=(desk.section(),),
        timers=(TimerSpec("pairing-rounds", TICK_MINUTES, tick),),
    )
