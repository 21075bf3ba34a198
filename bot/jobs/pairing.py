"""The pairing-rounds job: the rounds engine on a timer, and the `pairing` commands."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from bot.core.mentoring.matching import Solver
from bot.core.mentoring.rounds.desk import PairingDesk
from bot.core.mentoring.rounds.engine import RoundEngine
from bot.core.mentoring.rounds.membership import PairingMembership
from bot.core.mentoring.rounds.planning import RoundPlanner
from bot.core.mentoring.rounds.ports import BlockedPairs, NoBlockedPairs
from bot.core.messages import Platform, Reply
from bot.core.ports import MemberKey, Notifier, PrivateMessenger
from bot.jobs.kit import Job, Shared, TimerSpec
from bot.storage.rounds.channels import SqlPairingChannels
from bot.storage.rounds.members import SqlPairingMembers
from bot.storage.rounds.rounds import SqlPairingRounds

log = logging.getLogger(__name__)

TICK_MINUTES = 1.0  # rounds are due on the minute; each tick is one indexed query


class DirectMessenger:
    """TEMPORARY stand-in for the real PrivateMessenger (being built elsewhere).

    Sends a DM through the platform's notifier and returns False when it fails (closed DMs,
    no notifier); it does not hold the message for the member's next visit as the real one
    will. Replace it in pairing_job's caller once that lands.
    """

    def __init__(self, notifiers: Mapping[Platform, Notifier]) -> None:
        self._notifiers = notifiers

    async def send(self, key: MemberKey, reply: Reply, *, space_id: str) -> bool:
        """DM the member; False when the platform refused or is not served here."""
        notifier = self._notifiers.get(key.platform)
        if notifier is None:
            return False
        try:
            await notifier.direct(key, reply)
        except Exception:  # a refused DM must not stop the round
            log.warning("cannot DM %s about pairing rounds in %s", key.user_id, space_id,
                        exc_info=True)  # fmt: skip
            return False
        return True


def pairing_job(
    shared: Shared,
    private: PrivateMessenger,
    solver: Solver,
    blocks: BlockedPairs | None = None,
) -> Job:
    """Wire the rounds engine (one-minute timer) and the `pairing` and `config pairing` commands.

    blocks is the source of blocked pairs; none is connected yet (NoBlockedPairs).
    """
    sessions, clock, reach = shared.sessions, shared.clock, shared.reach
    channels = SqlPairingChannels(sessions)
    members = SqlPairingMembers(sessions)
    rounds = SqlPairingRounds(sessions)
    planner = RoundPlanner(members, rounds, blocks or NoBlockedPairs(), reach.members, solver)
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
