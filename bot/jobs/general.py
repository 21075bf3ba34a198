"""The general job: help, timezone and about."""

from __future__ import annotations

from bot import version
from bot.core.commands import CommandTable
from bot.core.general.about import AboutService
from bot.core.general.help import HelpService
from bot.core.general.timezone import TimezoneService
from bot.jobs.kit import Job, Shared


def general_job(shared: Shared, table: CommandTable) -> Job:
    """Wire help (over the whole table), timezone and about."""
    settings = shared.settings
    about = AboutService(version(), shared.knowledge.sources, settings.event_retention_days)
    timezone = TimezoneService(shared.members, shared.clock, settings.default_timezone)
    return Job(
        "general",
        {"help": HelpService(table).handle, "timezone": timezone.handle, "about": about.handle},
    )
