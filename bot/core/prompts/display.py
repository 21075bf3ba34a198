"""How the prompt commands write channels, schedules and moments for people."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.converters import WEEKDAY_NAMES
from bot.core.prompts.ports import PromptChannel
from bot.core.prompts.schedule import EVERY_DAY, Schedule, post_moment
from bot.core.sanitize import quote_user_text


def channel_label(channel_id: str) -> str:
    """Return a channel as `#id` (ids only: the core never writes a platform's mention)."""
    return "#" + quote_user_text(channel_id, 64)


def local_moment(instant: datetime, timezone: str) -> str:
    """Return an instant in a channel's local time, e.g. `Mon 2026-06-01 09:00 Europe/Berlin`."""
    local = instant.astimezone(ZoneInfo(timezone))
    return f"{local:%a %Y-%m-%d %H:%M} {timezone}"


def weekdays_text(days: frozenset[int]) -> str:
    """Return weekdays as people write them: `every day`, `mon-fri`, `mon,wed,fri`."""
    if days == EVERY_DAY:
        return "every day"
    if not days:
        return "no day"
    ordered = sorted(days)
    if ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 2:
        return f"{WEEKDAY_NAMES[ordered[0]]}-{WEEKDAY_NAMES[ordered[-1]]}"
    return ",".join(WEEKDAY_NAMES[d] for d in ordered)


def grace_text(grace: timedelta) -> str:
    """Return a grace window as `3h` or `1h30m`."""
    hours, minutes = divmod(int(grace.total_seconds() // 60), 60)
    return (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes or not hours else "")


def schedule_text(schedule: Schedule) -> str:
    """Return a schedule on one line: `09:00 Europe/Berlin, mon-fri, grace 3h`."""
    text = f"{schedule.at:%H:%M} {schedule.timezone}, {weekdays_text(schedule.weekdays)}"
    text += f", grace {grace_text(schedule.grace)}"
    if schedule.paused_until is not None:
        text += f", paused until {schedule.paused_until.isoformat()}"
    return text


def filters_text(channel: PromptChannel) -> str:
    """Return the channel's filters: difficulties and topics, or `any`."""
    wanted = channel.wanted
    levels = ",".join(sorted(wanted.difficulties)) or "any"
    topics = ",".join(sorted(wanted.topics)) or "any"
    return f"difficulty {levels}; topics {topics}"


def state_text(channel: PromptChannel) -> str:
    """Return why a channel does not post, or an empty string when it does."""
    if not channel.enabled:
        return "off"
    if channel.paused_reason is not None:
        return f"paused: {channel.paused_reason}"
    return ""


def next_text(channel: PromptChannel) -> str:
    """Return when the channel posts next, in its local time (or why it does not)."""
    if state_text(channel):
        return state_text(channel)
    if channel.pending_day is None:
        return "no post scheduled"
    due = post_moment(channel.schedule, channel.pending_day)  # not look_at: that may be a retry
    return local_moment(due, channel.schedule.timezone)
