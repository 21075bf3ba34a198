"""The study job: check-ins, streaks, leaderboards, reminders and streak settings."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import NamedTuple

from bot.core.messages import Actor
from bot.core.study.checkin import CheckinService
from bot.core.study.context import StreakReader, StudyContexts
from bot.core.study.leaderboard import LeaderboardService
from bot.core.study.recording import StudyRecorder
from bot.core.study.reminders import ReminderService
from bot.core.study.settings import ConfigService
from bot.core.study.streak import StreakService
from bot.core.study.streaks import local_date
from bot.jobs.kit import Job, Shared, TimerSpec
from bot.storage.study.leaderboard import SqlLeaderboard, SqlReminderLog
from bot.storage.study.streaks import SqlLearningEventRepository

REMINDER_DAYS_KEPT = 3  # a reminder row only has to outlive its local day (any timezone)
PRUNE_MINUTES = 60.0


class StudyWiring(NamedTuple):
    """The study job, and the hooks through which other jobs report learning."""

    job: Job
    topic_done: Callable[[Actor, str, str | None], Awaitable[None]]
    prompt_answered: Callable[[Actor, str | None], Awaitable[int | None]]
    mentoring_session: Callable[[Actor, int], Awaitable[int | None]]  # mentee, pairing id


def study_job(shared: Shared) -> StudyWiring:
    """Wire the study commands, the reminder timer and the start-up backfill."""
    settings, clock, sessions = shared.settings, shared.clock, shared.sessions
    fallback = settings.default_timezone
    events = SqlLearningEventRepository(sessions, fallback)
    contexts = StudyContexts(shared.members, shared.spaces, fallback)
    streaks = StreakReader(events, clock)
    recorder = StudyRecorder(events, contexts, clock)
    checkin = CheckinService(recorder, contexts, streaks, shared.reach.granters)
    streak = StreakService(contexts, streaks, shared.members)
    boards = SqlLeaderboard(sessions)
    ranking = LeaderboardService(boards, shared.members, contexts, clock)
    log = SqlReminderLog(sessions)
    reminders = ReminderService(
        shared.members, contexts, streaks, log, clock, shared.reach.notifiers
    )

    async def recompute(actor: Actor) -> int:
        return await boards.refresh_space(actor.platform, actor.space_id, clock.now(), fallback)

    async def prune_reminders() -> int:
        today = local_date(clock.now(), "UTC")
        return await log.prune(today - timedelta(days=REMINDER_DAYS_KEPT))

    async def backfill() -> int:
        return await boards.backfill(clock.now(), fallback)

    config = ConfigService(shared.spaces, recompute)
    job = Job(
        "study",
        {
            "checkin": checkin.checkin,
            "streak": streak.streak,
            "leaderboard": ranking.leaderboard,
            "privacy": ranking.privacy,
            "reminders": reminders.handle,
            "config streaks": config.handle,
        },
        settings=(config.section(),),
        timers=(
            TimerSpec(
                "streak-reminders",
                settings.reminder_check_minutes,
                reminders.send_due,
                at_start=False,
            ),
            TimerSpec("prune-streak-reminders", PRUNE_MINUTES, prune_reminders),
        ),
        start=(backfill,),
        drain=(events.aclose,),
        cancel=(config.aclose,),
    )
    return StudyWiring(
        job, recorder.topic_done, recorder.prompt_answered, recorder.mentoring_session
    )
