"""Moderators: `mentor stats` (counts only) and `config mentoring` (deadline, follow-up)."""

from __future__ import annotations

from datetime import timedelta

from bot.core.mentoring.records import MentoringSettings, MentorRequestStore
from bot.core.messages import Actor, Field, Reply
from bot.core.requests import Request
from bot.core.sections import SettingsSection


def period_text(period: timedelta) -> str:
    """Return a period as `48h`, `7d` or `1d 6h`."""
    days, rest = divmod(period, timedelta(days=1))
    hours = rest // timedelta(hours=1)
    if not days:
        return f"{hours}h"
    return f"{days}d" if not hours else f"{days}d {hours}h"


def _minutes_text(period: timedelta | None) -> str:
    if period is None:
        return "no match yet"
    if period < timedelta(hours=1):
        return f"{round(period / timedelta(minutes=1))} min"
    return period_text(period)


class MentoringDesk:
    """Answer the moderators' mentoring commands."""

    def __init__(self, store: MentorRequestStore) -> None:
        self._store = store

    async def stats(self, request: Request) -> Reply:
        """Return the community's counts: no member is named."""
        actor = request.actor
        stats = await self._store.stats(actor.platform, actor.space_id)
        rate = "no offer answered yet"
        if stats.offers_answered:
            rate = (
                f"{round(100 * stats.offers_accepted / stats.offers_answered)}% "
                f"({stats.offers_accepted} of {stats.offers_answered})"
            )
        fields = (
            Field("Requests", str(stats.requests), inline=True),
            Field("Matched", str(stats.matched), inline=True),
            Field("Median time to match", _minutes_text(stats.median_to_match), inline=True),
            Field("Acceptance rate", rate, inline=True),
            Field("Meetings held", str(stats.meetings), inline=True),
            Field("Expired offers", str(stats.offers_expired), inline=True),
            Field("Waiting now", str(stats.waiting), inline=True),
        )
        return Reply(
            title="Mentoring", text="Counts for this community.", fields=fields, ephemeral=True
        )

    async def configure(self, request: Request) -> Reply:
        """Change the offer deadline or the follow-up delay; alone, show them."""
        actor = request.actor
        deadline = request.get("deadline", timedelta)
        followup = request.get("followup", timedelta)
        if deadline is None and followup is None:
            settings = await self._store.settings(actor.platform, actor.space_id)
            title = "Mentoring settings"
        else:
            settings = await self._store.configure(
                actor.platform, actor.space_id, deadline, followup
            )
            title = "Mentoring settings saved"
        return Reply(
            title=title,
            text="New offers and pairings follow these.",
            fields=_fields(settings),
            ephemeral=True,
        )

    def section(self) -> SettingsSection:
        """Return the settings as a part of `config show`."""

        async def read(actor: Actor) -> tuple[Field, ...]:
            return _fields(await self._store.settings(actor.platform, actor.space_id))

        return SettingsSection("Mentoring", "config mentoring", read)


def _fields(settings: MentoringSettings) -> tuple[Field, ...]:
    return (
        Field("Offer deadline", period_text(settings.deadline), inline=True),
        Field("Follow-up after", period_text(settings.followup), inline=True),
    )
