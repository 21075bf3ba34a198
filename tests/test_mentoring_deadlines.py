"""Offers nobody answers and mentors who leave, through the composed app and a moved clock.

Every member is a console member talking through the console adapter; the console's own
notifier prints their DMs as JSON lines, which the test reads back. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.adapters.console import ConsoleAdapter, console_actor, reply_to_dict
from bot.adapters.console_notifier import ConsoleNotifier
from bot.app import BotContext, open_bot
from bot.config import Settings, load_settings
from bot.core.clock import FixedClock
from bot.core.messages import Platform, Reply
from bot.core.ports import Reach
from bot.storage.db import create_sessionmaker
from bot.storage.mentoring_tables import MentorOfferRow, MentorPairingRow, MentorRequestRow
from bot.storage.tables import MentorProfileRow

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
DEADLINE = timedelta(hours=48, minutes=1)
CONTEXT = "my joins return every row twice and I cannot see why"
# mia shares Monday evening (UTC) with the learners; max shares nothing, so mia fits best.
SIGNUP = "mentor signup topics:databases experience:backend timezone:UTC"
MIA = f"{SIGNUP} hours:Mon 17:00-19:00 capacity:3"
MAX = f"{SIGNUP} hours:Sat 06:00-07:00 capacity:5"
REQUEST = f"mentor request databases {CONTEXT} hours:Mon 17:00-21:00"


@pytest.fixture
def settings(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.chdir(tmp_path)
    return load_settings(database_url=database_url, data_dir=tmp_path / "data")


@dataclass
class Community:
    """Console members of one bot, their DMs on one screen, and the clock."""

    bot: BotContext
    clock: FixedClock
    screen: io.StringIO

    async def say(self, user: str, line: str, *, moderator: bool = False) -> Reply:
        """Send line as user; return the answer."""
        actor = console_actor(user, moderator=moderator)
        reply = await ConsoleAdapter(self.bot.dispatcher.handle, actor).ask(line)
        assert reply is not None
        return reply

    def dms(self, user: str) -> list[dict[str, Any]]:
        """Return the private messages printed for user, oldest first."""
        records = [json.loads(line) for line in self.screen.getvalue().splitlines()]
        return [r["private"]["reply"] for r in records if r["private"]["to"] == user]

    def offered(self, user: str) -> list[int]:
        """Return the ids of the offers user was sent (from their Accept buttons)."""
        commands = [b["command"] for dm in self.dms(user) for b in dm["buttons"]]
        return [int(c.split()[-1]) for c in commands if c.startswith("mentor accept")]

    async def tick(self, after: timedelta) -> int:
        """Move the clock on and run the mentoring timer once."""
        self.clock.advance(after)
        done: int = await self.bot.timers["mentoring"].run()
        return done

    async def rows(self, table: Any) -> list[Any]:
        async with create_sessionmaker(self.bot.engine)() as session:
            query = select(table.__table__).order_by(table.__table__.c.id)
            return list((await session.execute(query)).mappings().all())


def everything_said(replies: list[Reply], dms: list[dict[str, Any]]) -> str:
    """Return all the text of answers and DMs, for checks of what is never shown."""
    dicts = [reply_to_dict(r) for r in replies] + dms
    return json.dumps(dicts)


async def test_unanswered_offers_go_to_the_next_mentor_and_three_pause_the_mentor(
    settings: Settings,
) -> None:
    screen = io.StringIO()
    clock = FixedClock(START)
    reach = Reach(notifiers={Platform.CONSOLE: ConsoleNotifier(screen, json_lines=True)})
    async with open_bot(settings, clock, reach) as bot:
        town = Community(bot, clock, screen)
        assert (await town.say("mia", MIA)).error is None
        assert (await town.say("max", MAX)).error is None

        for round_, learner in enumerate(("lea", "leo", "lia"), start=1):
            await town.say(learner, REQUEST)
            assert len(town.offered("mia")) == round_  # the best fit is asked first
            offer = town.offered("mia")[-1]
            assert len(town.offered("max")) == round_ - 1

            assert await town.tick(DEADLINE) >= 1
            # The next best mentor has it now, and the learner heard both steps.
            to_max = town.offered("max")[-1]
            assert len(town.offered("max")) == round_ and to_max != offer
            told = town.dms(learner)
            assert len(told) == 2 and all(dm["buttons"] == [] for dm in told)
            assert all("mia" not in json.dumps(dm) for dm in told)  # unnamed before accepting
            accepted = await town.say("max", f"mentor accept {to_max}")
            assert accepted.error is None

        states = {(r["mentor_id"], r["state"]) for r in await town.rows(MentorOfferRow)}
        assert states == {("mia", "expired"), ("max", "accepted")}
        # Twice told an offer expired; the third time, paused and told why, with the way back.
        *expired, paused = [dm for dm in town.dms("mia") if not dm["buttons"]]
        assert len(expired) == 2
        assert "3" in paused["text"] and "mentor resume" in paused["text"]
        (mia,) = [p for p in await town.rows(MentorProfileRow) if p["user_id"] == "mia"]
        assert mia["paused_until"] == date.max and mia["expired_in_row"] == 3
        assert mia["paused_reason"]

        # Paused: the best fit for the next request, but she is not asked.
        await town.say("lou", REQUEST)
        assert len(town.offered("mia")) == 3
        assert len(town.offered("max")) == 4
        assert await town.tick(DEADLINE) >= 1  # max lets lou's expire: nobody else to ask
        assert len(town.offered("mia")) == 3 and len(town.dms("mia")) == 6

        stats = await town.say("mod", "mentor stats", moderator=True)
        counts = {f.name: f.value for f in stats.fields}
        assert counts["Expired offers"] == "4" and counts["Waiting now"] == "1"

        # Back from the pause with a clean count: the next run offers her lou's request.
        assert (await town.say("mia", "mentor resume")).error is None
        await town.tick(timedelta(minutes=1))
        assert len(town.offered("mia")) == 4
        (mia,) = [p for p in await town.rows(MentorProfileRow) if p["user_id"] == "mia"]
        assert (mia["paused_until"], mia["expired_in_row"]) == (None, 0)


async def test_a_block_is_honoured_and_never_shown_to_anyone(settings: Settings) -> None:
    screen = io.StringIO()
    clock = FixedClock(START)
    reach = Reach(notifiers={Platform.CONSOLE: ConsoleNotifier(screen, json_lines=True)})
    async with open_bot(settings, clock, reach) as bot:
        town = Community(bot, clock, screen)
        # max would fit best this time (shared hours), but lea blocked him.
        await town.say("mia", MIA.replace("Mon 17:00-19:00", "Sat 06:00-07:00"))
        await town.say("max", MAX.replace("Sat 06:00-07:00", "Mon 17:00-19:00"))
        blocked = await town.say("lea", "mentor block @max")
        assert blocked.error is None and blocked.ephemeral

        replies = [await town.say("lea", REQUEST)]
        assert town.offered("max") == [] and len(town.offered("mia")) == 1
        (offer,) = town.dms("mia")
        assert "21:00" not in json.dumps(offer) and "17:00" not in json.dumps(offer)

        assert await town.tick(DEADLINE) >= 1  # mia lets it expire: max is still never asked
        assert town.offered("max") == []
        replies += [
            await town.say("lea", "mentor status"),
            await town.say("max", "mentor profile"),
            await town.say("mia", "mentor profile"),
            await town.say("zed", "mentor status"),
            await town.say("mod", "mentor stats", moderator=True),
        ]
        dms = [dm for user in ("lea", "mia", "max") for dm in town.dms(user)]
        shown = everything_said(replies, dms).casefold()
        assert "block" not in shown  # nobody, lea included, sees a block list afterwards
        assert "lea" not in everything_said(replies[2:3], town.dms("max")).casefold()


async def test_a_leaving_mentor_hands_the_pairing_back_and_it_is_never_followed_up(
    settings: Settings,
) -> None:
    screen = io.StringIO()
    clock = FixedClock(START)
    reach = Reach(notifiers={Platform.CONSOLE: ConsoleNotifier(screen, json_lines=True)})
    async with open_bot(settings, clock, reach) as bot:
        town = Community(bot, clock, screen)
        await town.say("mia", MIA)
        await town.say("lea", REQUEST)
        (offer,) = town.offered("mia")
        assert (await town.say("mia", f"mentor accept {offer}")).error is None
        assert len(town.dms("lea")) == 1  # the introduction
        await town.say("max", MAX)

        asked = await town.say("mia", "mentor leave")
        assert asked.error is None and [b.command for b in asked.buttons] == [
            "mentor leave confirm"
        ]
        assert (await town.say("mia", "mentor leave confirm")).error is None

        (pairing,) = await town.rows(MentorPairingRow)
        assert pairing["state"] == "released"
        (request,) = await town.rows(MentorRequestRow)
        assert request["requested_at"].replace(tzinfo=UTC) == START  # its place kept
        # Handed back: lea is told, and the next mentor is asked at once.
        (to_max,) = town.offered("max")
        told = town.dms("lea")[1:]
        assert len(told) == 2 and all(dm["buttons"] == [] for dm in told)
        assert [p for p in await town.rows(MentorProfileRow) if p["user_id"] == "mia"] == []

        # A week on: no "did you meet?" for the released pairing.
        sent_before = len(town.dms("mia")) + len(town.dms("lea"))
        await town.tick(timedelta(days=7, minutes=1))
        assert len(town.dms("mia")) + len(town.dms("lea")) == sent_before + 1  # lea: expiry news
        assert all(not dm["buttons"] for dm in town.dms("lea"))
        assert to_max in {o["id"] for o in await town.rows(MentorOfferRow)}


async def test_the_deadline_follows_the_setting_and_an_answer_resets_the_count(
    settings: Settings,
) -> None:
    screen = io.StringIO()
    clock = FixedClock(START)
    reach = Reach(notifiers={Platform.CONSOLE: ConsoleNotifier(screen, json_lines=True)})
    async with open_bot(settings, clock, reach) as bot:
        town = Community(bot, clock, screen)
        configured = await town.say("mod", "config mentoring deadline:72h", moderator=True)
        assert configured.error is None
        await town.say("mia", MIA.replace("capacity:3", "capacity:5"))

        await town.say("lea", REQUEST)
        await town.tick(DEADLINE)  # 48 h is not 72 h: nothing expires
        assert [o["state"] for o in await town.rows(MentorOfferRow)] == ["pending"]
        await town.tick(timedelta(hours=24))  # now it has
        assert [o["state"] for o in await town.rows(MentorOfferRow)] == ["expired"]
        await town.say("leo", REQUEST)
        await town.tick(timedelta(hours=72, minutes=1))
        (mia,) = [p for p in await town.rows(MentorProfileRow) if p["user_id"] == "mia"]
        assert mia["expired_in_row"] == 2

        await town.say("lia", REQUEST)
        declined = await town.say("mia", f"mentor decline {town.offered('mia')[-1]}")
        assert declined.error is None  # an answer: the count starts again
        await town.say("lou", REQUEST)
        await town.tick(timedelta(hours=72, minutes=1))
        (mia,) = [p for p in await town.rows(MentorProfileRow) if p["user_id"] == "mia"]
        assert (mia["expired_in_row"], mia["paused_until"]) == (1, None)


async def test_an_unanswered_follow_up_ends_the_pairing_and_frees_the_place(
    settings: Settings,
) -> None:
    screen = io.StringIO()
    clock = FixedClock(START)
    reach = Reach(notifiers={Platform.CONSOLE: ConsoleNotifier(screen, json_lines=True)})
    async with open_bot(settings, clock, reach) as bot:
        town = Community(bot, clock, screen)
        await town.say("mia", MIA.replace("capacity:3", "capacity:1"))
        await town.say("lea", REQUEST)
        await town.say("mia", f"mentor accept {town.offered('mia')[-1]}")
        waiting = await town.say("leo", REQUEST)
        assert "1" in waiting.text and len(town.offered("mia")) == 1  # no room: leo waits

        await town.tick(timedelta(days=7, minutes=1))  # "did you meet?" to both
        asked = [b.get("command") for dm in town.dms("lea") for b in dm["buttons"]]
        assert any(c and c.startswith("mentor met") for c in asked)
        await town.tick(timedelta(days=2))
        assert len(town.offered("mia")) == 1  # still hers, within the grace
        await town.tick(timedelta(days=1, minutes=1))  # nobody answered: it ends

        (pairing,) = await town.rows(MentorPairingRow)
        assert pairing["state"] == "ended" and pairing["met_at"] is None
        assert len(town.offered("mia")) == 2  # leo's request, in the freed place
        # A late "yes" still records the meeting, and leaves the pairing ended.
        assert (await town.say("lea", f"mentor met {pairing['id']} yes")).error is None
        (pairing,) = await town.rows(MentorPairingRow)
        assert pairing["state"] == "ended" and pairing["met_at"] is not None
