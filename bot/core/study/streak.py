"""The streak command: a member's streak, why it is what it is, and a heatmap."""

from __future__ import annotations

from datetime import timedelta

from bot.core.members import member_key
from bot.core.messages import Field, Image, MemberRef, Reply
from bot.core.ports import MemberKey, MemberRepository
from bot.core.requests import Request
from bot.core.study.checkin import days_text
from bot.core.study.context import StreakReader, StreakSnapshot, StudyContexts
from bot.core.study.heatmap import WEEKS, heatmap_png
from bot.core.study.streaks import explain


class StreakService:
    """Answer `streak [member]`, respecting members who keep theirs private."""

    def __init__(
        self, contexts: StudyContexts, streaks: StreakReader, members: MemberRepository
    ) -> None:
        self._contexts = contexts
        self._streaks = streaks
        self._members = members

    async def streak(self, request: Request) -> Reply:
        """Answer `streak [member]`: numbers, why, and a heatmap of the last 26 weeks."""
        actor = request.actor
        key, whose = member_key(actor), "Your"
        named = request.get("member", MemberRef)
        if named:
            key = MemberKey(named.platform, named.user_id)
        context = await self._contexts.of(key, actor.space_id)
        if named and key != member_key(actor):
            # Read uncached: a member who just went private is private in every process.
            fresh = await self._members.get_fresh(key)
            if fresh is not None and fresh.leaderboard_hidden:
                return Reply(
                    text="That member keeps their streak private.", error="private",
                    ephemeral=True,
                )  # fmt: skip
            whose = "Their"
        snapshot = await self._streaks.snapshot(key, context)
        if named and whose == "Their" and not snapshot.minutes:
            return Reply(text="That member has no study days recorded yet.", ephemeral=True)
        return _streak_reply(snapshot, whose)


def _streak_reply(snapshot: StreakSnapshot, whose: str) -> Reply:
    """Return the `streak` answer: the numbers, the explanation and the heatmap."""
    status, minutes, today = snapshot.status, snapshot.minutes, snapshot.today
    week_start = today - timedelta(days=today.weekday())
    this_week = sum(1 for d in minutes if week_start <= d <= today)
    this_month = sum(1 for d in minutes if d.year == today.year and d.month == today.month)
    fields = (
        Field("Current", days_text(status.current), inline=True),
        Field("Longest", days_text(status.longest), inline=True),
        Field("Today", "counted" if status.today_counted else "not yet", inline=True),
        Field("This week", days_text(this_week), inline=True),
        Field("This month", days_text(this_month), inline=True),
        Field("Total", f"{sum(minutes.values())} min", inline=True),
        Field("Freezes banked", str(status.freezes_banked), inline=True),
    )
    since = today - timedelta(weeks=WEEKS)
    recent = {d: m for d, m in minutes.items() if d > since}
    image = Image(
        "streak.png",
        heatmap_png(recent, today),
        f"Study heatmap, last {WEEKS} weeks: {days_text(len(recent))} with study.",
    )
    return Reply(
        title=f"{whose} study streak",
        text=explain(status, today, snapshot.rules, own=whose == "Your"),
        fields=fields,
        image=image,
        ephemeral=True,
    )
