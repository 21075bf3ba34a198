"""The mentoring job's profiles side: signup, edit, profile, pause, resume, leave, blocks.

The requests side (bot/jobs/mentoring.py, wired separately) owns requests, offers and the
Handback that takes a leaving or pausing mentor's work back; this side is given it.
"""

from __future__ import annotations

from bot.core.mentoring.blocks import MentorBlockDesk
from bot.core.mentoring.ports import Handback, MentorKey
from bot.core.mentoring.profiles import MentorDesk, profile_handlers
from bot.jobs.kit import Job, Shared
from bot.storage.mentoring.blocks import SqlMentorBlocks
from bot.storage.mentoring.profiles import SqlMentorProfiles


def mentor_profiles_job(shared: Shared, handback: Handback) -> Job:
    """Wire the mentors' profile and block commands on the tables."""
    desk = MentorDesk(
        SqlMentorProfiles(shared.sessions),
        handback,
        shared.knowledge,
        shared.members,
        shared.spaces,
        shared.clock,
    )
    blocks = MentorBlockDesk(SqlMentorBlocks(shared.sessions))
    return Job("mentor-profiles", profile_handlers(desk, blocks))


class NoRequestsYet:
    """TEMPORARY: a Handback that releases nothing, until the requests side is wired.

    With no requests stored there is nothing to hand back yet; the integrator replaces this
    with the requests side's Handback when bot/jobs/mentoring.py lands.
    """

    async def release(self, key: MentorKey, *, active_too: bool) -> int:
        """Release nothing: there are no offers or pairings yet."""
        return 0
