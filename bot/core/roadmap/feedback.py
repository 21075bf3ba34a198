"""Answers' feedback: `ask feedback`, the moderators' `ask stats` and `config ask`."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from bot.core.errors import BotError
from bot.core.knowledge import KnowledgeBase
from bot.core.members import member_key
from bot.core.messages import Actor, Field, Reply
from bot.core.ports import Clock
from bot.core.requests import Request
from bot.core.roadmap.ports import AskLog, AskStats, Rated
from bot.core.sections import SettingsSection

RECORD_RETENTION: Final = timedelta(days=90)  # question outcomes and their ratings
KEPT_TEXT_RETENTION: Final = timedelta(days=30)  # declined questions' texts, when kept
PERIODS: Final = {"week": timedelta(days=7), "month": timedelta(days=30)}
TOP_TOPICS: Final = 5
TOP_DOCUMENTS: Final = 3
KEPT_SHOWN: Final = 10


class AskFeedback:
    """Rate answers, show a community's question figures, keep declined texts or not."""

    def __init__(self, records: AskLog, kb: KnowledgeBase, clock: Clock) -> None:
        self._records = records
        self._kb = kb
        self._clock = clock

    async def rate(self, request: Request) -> Reply:
        """Record the clicker's Helpful / Not helpful for one answer (a second click changes it)."""
        actor = request.actor
        answer_id = request.get("answer", int)
        helpful = request.text("helpful") == "yes"
        if answer_id is None:  # required by the table; the router never lets it through
            raise BotError("Say which answer, e.g. `ask feedback 12 yes`.")
        rated = await self._records.rate(
            answer_id, member_key(actor), actor.space_id, helpful, self._clock.now()
        )
        if rated is Rated.UNKNOWN:
            raise BotError(
                f"I have no answer number {answer_id} in this community to rate.",
                hint="Use the Helpful / Not helpful buttons under an answer.",
            )
        word = "helpful" if helpful else "not helpful"
        text = {
            Rated.NEW: f"Thanks! Noted as {word}.",
            Rated.CHANGED: f"Changed your rating to {word}.",
            Rated.SAME: f"You already rated it {word}; it counts once.",
        }[rated]
        if not helpful and rated is not Rated.SAME:
            text += " Try asking in other words, or `roadmap <topic>` for the whole topic."
        return Reply(text=text, ephemeral=True)

    async def stats(self, request: Request) -> Reply:
        """Show the community's questions of the last week or month: counts only, no names."""
        actor = request.actor
        period = request.text("period") or "week"
        since = self._clock.now() - PERIODS[period]
        keeps = await self._records.keeps_declined(actor.platform, actor.space_id)
        stats = await self._records.stats(
            actor.platform, actor.space_id, since, TOP_TOPICS, KEPT_SHOWN
        )
        days = PERIODS[period].days
        fields = [
            Field("Questions", str(stats.answered + stats.declined), inline=True),
            Field("Answered", str(stats.answered), inline=True),
            Field("Declined", str(stats.declined), inline=True),
            Field("Helpful rate", _rate(stats), inline=True),
            Field("Most-asked topics", self._topics(stats) or "none yet"),
        ]
        if stats.documents:
            fields.append(Field("Rated not helpful", self._documents(stats)))
        fields.append(Field("Declined questions", _kept(stats, keeps)))
        return Reply(
            title=f"Questions, last {days} days",
            text="Counts for this community; nobody is named.",
            fields=tuple(fields),
            ephemeral=True,
        )

    async def configure(self, request: Request) -> Reply:
        """Turn keeping declined questions' text on or off; alone, say which it is."""
        actor = request.actor
        wanted = request.text("keep_declined")
        if wanted is None:
            keeps = await self._records.keeps_declined(actor.platform, actor.space_id)
            return Reply(title="Ask settings", text=_setting_text(keeps), ephemeral=True)
        keep = wanted == "on"
        deleted = await self._records.set_keeps_declined(actor.platform, actor.space_id, keep)
        text = _setting_text(keep)
        if deleted:
            text += f" Deleted the {deleted} kept so far."
        return Reply(title="Ask settings saved", text=text, ephemeral=True)

    def section(self) -> SettingsSection:
        """Return the setting as a part of `config show`."""

        async def read(actor: Actor) -> tuple[Field, ...]:
            keeps = await self._records.keeps_declined(actor.platform, actor.space_id)
            return (Field("Keep declined questions", "on" if keeps else "off", inline=True),)

        return SettingsSection("Questions", "config ask", read)

    async def privacy(self, actor: Actor) -> str:
        """Say what is kept about questions in the actor's community, for `about`."""
        keeps = await self._records.keeps_declined(actor.platform, actor.space_id)
        said = (
            f"For each question I record who asked, whether I answered it and from which "
            f"roadmap facts and topics, and the Helpful / Not helpful clicks on answers, for "
            f"{RECORD_RETENTION.days} days; moderators see only totals (`ask stats`)."
        )
        if keeps:
            return said + (
                " This community keeps the text of questions I could not answer (without "
                f"mentions, links or e-mail addresses) for {KEPT_TEXT_RETENTION.days} days, so "
                "its moderators can see what is missing."
            )
        return said + " I do not keep the text of your questions."

    async def prune(self) -> int:
        """Forget outcomes and kept texts past their retention; return how many went."""
        now = self._clock.now()
        return await self._records.prune(now - RECORD_RETENTION, now - KEPT_TEXT_RETENTION)

    def _topics(self, stats: AskStats) -> str:
        lines = []
        for rank, (topic_id, count) in enumerate(stats.topics, 1):
            topic = self._kb.topic(topic_id)
            lines.append(f"{rank}. {topic.name if topic else topic_id} ({count})")
        return "\n".join(lines)

    def _documents(self, stats: AskStats) -> str:
        return "\n".join(
            f"`{d.document}`: {d.unhelpful} of {d.helpful + d.unhelpful} not helpful"
            for d in stats.documents[:TOP_DOCUMENTS]
        )


def _rate(stats: AskStats) -> str:
    if not stats.rated:
        return "no ratings yet"
    return f"{round(100 * stats.helpful / stats.rated)}% ({stats.helpful} of {stats.rated} rated)"


def _kept(stats: AskStats, keeps: bool) -> str:
    if not keeps:
        return (
            "Not kept. `config ask keep-declined:on` keeps their text for "
            f"{KEPT_TEXT_RETENTION.days} days."
        )
    if not stats.kept:
        return "None kept in this period."
    return "\n".join(f"{q.asked_at:%Y-%m-%d}: {q.text}" for q in stats.kept)


def _setting_text(keeps: bool) -> str:
    if keeps:
        return (
            f"Declined questions' text is kept for {KEPT_TEXT_RETENTION.days} days (mentions, "
            "links and e-mail addresses removed) and listed in `ask stats`; `about` says so."
        )
    return "Declined questions' text is not kept (the default); `ask stats` shows counts only."
