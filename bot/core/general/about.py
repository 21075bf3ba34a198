"""The about command: version, data sources and what the bot keeps about people."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.messages import Button, Field, Reply
from bot.core.ports import Source
from bot.core.requests import Request
from bot.core.sections import PrivacyNote

PRIVACY = (
    "I keep your platform user id, display name, the settings you give me (timezone, "
    "leaderboard and reminder choices), your roadmap progress, the resources you rated or "
    "marked seen, your study days (check-ins with the day, minutes and the short note you add; "
    "topics marked done) with the streak totals counted from them, the days I sent you a "
    "reminder, and your mentoring requests (topic, what you are stuck on, your weekly hours) "
    "with their offers and matches; if you mentor, your mentor profile until `mentor leave` "
    "deletes it, and the members you blocked. `privacy leaderboard off` keeps you off "
    "leaderboards."
)
PRIVACY_END = (
    "Other than that I do not store what you write; I keep only the ids of processed events, "
    "for {retention} days, so a redelivered message is not handled twice."
)


class AboutService:
    """Describe the bot: version, sources, privacy."""

    def __init__(
        self,
        version: str,
        sources: Sequence[Source],
        retention_days: int,
        notes: Sequence[PrivacyNote] = (),
    ) -> None:
        self._version = version
        self._sources = tuple(sources)
        self._retention_days = retention_days
        self._notes = tuple(notes)  # the jobs' own sentences, for the asker's community

    async def handle(self, request: Request) -> Reply:
        """Answer `about`."""
        lines = [f"[{s.title}]({s.url}) ({s.site})" for s in self._sources]
        notes = [await note(request.actor) for note in self._notes]
        privacy = " ".join([PRIVACY, *notes, PRIVACY_END.format(retention=self._retention_days)])
        return Reply(
            title="About roadmap-bot",
            text="An open-source study companion for people becoming backend developers. "
            "Its roadmap answers come from these articles, rewritten in its own words.",
            fields=(
                Field("Version", self._version, inline=True),
                Field("Sources", "\n".join(lines) or "none loaded"),
                Field("Privacy", privacy),
            ),
            buttons=tuple(Button(label=s.site, url=s.url) for s in self._sources),
        )
