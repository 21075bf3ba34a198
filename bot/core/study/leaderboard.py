"""Leaderboards per space, and the member's choice to stay off them."""

from __future__ import annotations

from bot.core.members import member_key
from bot.core.messages import Actor, Field, Reply
from bot.core.ports import Clock, MemberRepository
from bot.core.requests import Request
from bot.core.sanitize import quote_user_text
from bot.core.study.context import StudyContexts
from bot.core.study.ports import Board, LeaderboardRepository, Standing
from bot.core.study.streaks import local_date, week_start

TOP = 10
NAME_LENGTH = 32
_TITLES = {
    ("week", "streak"): "Study days this week",
    ("week", "minutes"): "Minutes studied this week",
    ("month", "streak"): "Study days this month",
    ("month", "minutes"): "Minutes studied this month",
    ("all", "streak"): "Current streaks",
    ("all", "minutes"): "Minutes studied, all time",
}


class LeaderboardService:
    """Answer `leaderboard` and `privacy`."""

    def __init__(
        self,
        boards: LeaderboardRepository,
        members: MemberRepository,
        contexts: StudyContexts,
        clock: Clock,
    ) -> None:
        self._boards = boards
        self._members = members
        self._contexts = contexts
        self._clock = clock

    async def leaderboard(self, request: Request) -> Reply:
        """Answer `leaderboard [week|month|all] [streak|minutes]`: top ten and the asker."""
        actor = request.actor
        period = request.text("period") or "week"
        metric = request.text("metric") or "streak"
        board = await self._board(actor, period, metric)
        top = await self._boards.top(board, TOP)
        mine = await self._boards.standing(board, actor.user_id)
        unit = "min" if metric == "minutes" else "day"
        lines = [_line(s, unit, s.user_id == actor.user_id) for s in top]
        if not lines:
            lines = ["Nobody is on this board yet. Be the first: `checkin`."]
        fields: list[Field] = []
        if mine is None:
            fields.append(Field("You", _absent(await self._hidden(actor), metric, period)))
        elif all(s.user_id != actor.user_id for s in top):
            fields.append(Field("You", _line(mine, unit, is_asker=True)))
        return Reply(
            title=_TITLES[(period, metric)],
            text="\n".join(lines),
            fields=tuple(fields),
        )

    async def _board(self, actor: Actor, period: str, metric: str) -> Board:
        # Periods follow the asker's calendar: "this week" starts on their Monday.
        context = await self._contexts.of(member_key(actor), actor.space_id)
        now = self._clock.now()
        today = local_date(now, context.timezone)
        start = week_start(today) if period == "week" else today.replace(day=1)
        return Board(actor.platform, actor.space_id, period, metric, start, now)

    async def _hidden(self, actor: Actor) -> bool:
        # Uncached: the choice may have been changed through another process a moment ago.
        member = await self._members.get_fresh(member_key(actor))
        return bool(member and member.leaderboard_hidden)

    async def privacy(self, request: Request) -> Reply:
        """Answer `privacy [leaderboard on|off]`."""
        actor, value = request.actor, request.text("value")
        if value is None:
            hidden = await self._hidden(actor)
            return Reply(
                title="Your privacy",
                text="Leaderboards: "
                + ("you are hidden." if hidden else "you are shown (when you have study days).")
                + "\nChange it with `privacy leaderboard off` or `privacy leaderboard on`.",
                fields=(Field("Leaderboards", "off" if hidden else "on", inline=True),),
                ephemeral=True,
            )
        hidden = value == "off"
        await self._members.set_preferences(
            member_key(actor), actor.display_name, leaderboard_hidden=hidden
        )
        await self._boards.set_hidden(member_key(actor), hidden)
        text = (
            "Done: you no longer appear on leaderboards, and others cannot see your streak."
            if hidden
            else "Done: you appear on leaderboards again."
        )
        return Reply(title="Privacy saved", text=text, ephemeral=True)


def _line(standing: Standing, unit: str, is_asker: bool) -> str:
    name = quote_user_text(standing.display_name, NAME_LENGTH) or "someone"
    you = " (you)" if is_asker else ""
    plural = "s" if unit == "day" and standing.value != 1 else ""
    return f"{standing.rank}. {name}{you}: {standing.value} {unit}{plural}"


def _absent(hidden: bool, metric: str, period: str) -> str:
    if hidden:
        return "You are hidden from leaderboards (`privacy leaderboard on` to show)."
    if metric == "streak" and period == "all":
        return "No streak running: `checkin` to start one."
    when = "yet" if period == "all" else f"this {period}"
    return f"Nothing recorded {when}: `checkin` to get on the board."
