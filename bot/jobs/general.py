"""The general job: help, timezone, about, and `config show` over every job's settings."""

from __future__ import annotations

from collections.abc import Sequence

from bot import version
from bot.core.commands import CommandTable
from bot.core.general.about import AboutService
from bot.core.general.help import HelpService
from bot.core.general.settings import SettingsOverview
from bot.core.general.timezone import TimezoneService
from bot.core.sections import PrivacyNote, SettingsSection
from bot.jobs.kit import Job, Shared


def general_job(
    shared: Shared,
    table: CommandTable,
    sections: Sequence[SettingsSection] = (),
    notes: Sequence[PrivacyNote] = (),
) -> Job:
    """Wire help (the whole table), timezone, about (with notes), `config show` (sections)."""
    settings = shared.settings
    about = AboutService(version(), shared.knowledge.sources, settings.event_retention_days, notes)
    timezone = TimezoneService(shared.members, shared.clock, settings.default_timezone)
    return Job(
        "general",
        {
            "help": HelpService(table).handle,
            "timezone": timezone.handle,
            "about": about.handle,
            "config show": SettingsOverview(sections).handle,
        },
    )
