"""Pairing rounds end to end in the composed bot: console commands, the timer, DMs, buttons."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import func, select

from bot.adapters.console import CONSOLE_REFERENCES
from bot.app import BotContext, open_bot
from bot.config import Settings, load_settings
from bot.core.clock import FixedClock
from bot.core.messages import Actor, Incoming, Platform, Reply
from bot.core.ports import MemberKey, Reach
from bot.storage.db import create_sessionmaker
from bot.storage.tables import (
    PairingChannelRow,
    PairingMemberRow,
    PairingOutcomeRow,
    PairingRoundRow,
)

START = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)  # Monday 10:00 in Berlin
DUE = datetime(2026, 6, 1, 16, 0, tzinfo=UTC)  # Monday 18:00 in Berlin
SETUP = "config pairing channel:#coffee every:1w at:mon 18:00 timezone:Europe/Berlin"


@dataclass
class Told:
    """DMs and moderator notices, as the console's Reach delivers them."""

    dms: list[tuple[str, Reply]] = field(default_factory=list)
    moderators: list[Reply] = field(default_factory=list)

    async def post(self, space_id: str, channel_id: str, reply: Reply) -> None:
        raise AssertionError("rounds never post in a channel")

    async def direct(self, key: MemberKey, reply: Reply, *, space_id: str | None = None) -> None:
        self.dms.append((key.user_id, reply))

    async def tell_moderators(self, space_id: str, channel_id: str, reply: Reply) -> bool:
        self.moderators.append(reply)
        return True

    def to(self, user: str) -> list[Reply]:
        return [reply for who, reply in self.dms if who == user]

    def button(self, user: str, label: str) -> str:
        """Return the command of the latest button so labelled in the member's DMs."""
        found = [b.command for r in self.to(user) for b in r.buttons if b.label == label]
        assert found and found[-1], (user, label, self.to(user))
        return found[-1]


@dataclass
class Community:
    bot: BotContext
    clock: FixedClock
    told: Told

    async def say(self, text: str, *, user: str = "mod", channel: str = "coffee") -> Reply:
        actor = Actor(Platform.CONSOLE, "local", channel, user, user.title(),
                      is_moderator=user == "mod")  # fmt: skip
        reply = await self.bot.dispatcher.handle(
            Incoming(actor, text, references=CONSOLE_REFERENCES)
        )
        assert reply is not None, text
        return reply

    async def ok(self, text: str, **who: Any) -> Reply:
        reply = await self.say(text, **who)
        assert reply.error is None, (text, reply)
        return reply

    async def count(self, table: Any, *where: Any) -> int:
        query = select(func.count()).select_from(table.__table__).where(*where)
        async with create_sessionmaker(self.bot.engine)() as session:
            return int((await session.execute(query)).scalar_one())

    async def tick_at(self, when: datetime) -> int:
        self.clock.advance(when - self.clock.now())
        return await self.bot.timers["pairing-rounds"].run()


@pytest.fixture
def settings(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.chdir(tmp_path)
    return load_settings(database_url=database_url, data_dir=tmp_path / "data")


@pytest_asyncio.fixture(loop_scope="function")
async def community(settings: Settings) -> AsyncIterator[Community]:
    clock, told = FixedClock(START), Told()
    reach = Reach(notifiers={Platform.CONSOLE: told}, moderators={Platform.CONSOLE: told})
    async with open_bot(settings, clock, reach=reach) as bot:
        yield Community(bot, clock, told)


async def test_bad_settings_and_bad_input_change_nothing(community: Community) -> None:
    bad = {
        "config pairing channel:#coffee every:3w at:mon 18:00": "usage",
        "config pairing channel:#coffee at:funday 18:00": "usage",
        "config pairing channel:#coffee at:mon 25:00": "usage",
        "config pairing channel:#coffee every:1w": "usage",  # a new channel needs `at`
        "config pairing channel:#coffee at:mon 18:00 timezone:Mars/Olympus": "invalid_timezone",
        "config pairing channel:#coffee at:mon 18:00 odd:quartet": "usage",
        "pairing join": "no_pairing",
    }
    for line, code in bad.items():
        assert (await community.say(line)).error == code, line
    assert await community.count(PairingChannelRow) == 0
    await community.ok(SETUP)
    assert (await community.say("pairing preview", user="ada")).error == "permission"
    assert (await community.say("pairing snooze until:2020-01-01", user="ada")).error == "usage"
    await community.ok("pairing join", user="ada")
    assert (await community.say("pairing snooze until:2020-01-01", user="ada")).error == "usage"
    assert (await community.say("pairing skip round:99-1", user="ada")).error == "no_pairing"
    shown = await community.ok("config show")
    section = next(f.value for f in shown.fields if f.name == "Pairing rounds")
    assert "#coffee" in section and "Mon 18:00" in section and "config pairing" in section


async def test_a_round_from_set_up_to_follow_up_through_the_console(community: Community) -> None:
    told = community.told
    await community.ok(SETUP)
    for user in ("ada", "bob", "cy"):
        await community.ok("pairing join", user=user)
    preview = await community.ok("pairing preview")
    assert "3 members" in preview.text
    assert await community.count(PairingRoundRow) == 0  # a dry run stores nothing
    assert told.dms == []  # and tells nobody
    # Monday 18:00 today is less than a day away: the heads-up goes out at the next tick.
    assert await community.tick_at(START + timedelta(minutes=1)) == 3
    # One click skips: the heads-up's button runs `pairing skip` for bob.
    skip = told.button("bob", "Skip this round")
    await community.ok(skip, user="bob")
    status = await community.ok("pairing status", user="bob")
    assert "skipping round 1" in status.text
    await community.tick_at(DUE)
    roster = told.moderators[-1]
    assert roster.fields[0].value.count("@") == 2  # ada and cy; bob skipped
    for user, partner in (("ada", "Cy"), ("cy", "Ada")):
        outcome = told.to(user)[-1]
        assert f"@{partner}" in outcome.text and "round 1" in outcome.text.casefold()
    assert [r for r in told.to("bob") if "round 1 in" in r.text.casefold()] == []
    # The roster command shows the same round; status shows the last partners.
    assert (await community.ok("pairing roster")).fields[0].value == roster.fields[0].value
    status = await community.ok("pairing status", user="ada")
    assert "@Cy" in next(f.value for f in status.fields if f.name == "Your last partners")
    # Three days on: "did you meet?" with buttons; a click answers (and a second one replaces).
    assert await community.tick_at(DUE + timedelta(days=3)) == 2
    await community.ok(told.button("ada", "No"), user="ada")
    await community.ok(told.button("ada", "Yes, we met"), user="ada")  # replaces the No
    await community.ok("pairing met yes", user="cy")  # typed, for the latest round
    await community.ok("pairing met yes", user="bob")  # no round of his: nothing stored
    answered = PairingOutcomeRow.answered_at.is_not(None)
    assert await community.count(PairingOutcomeRow, answered) == 2  # ada's (once) and cy's
    assert await community.count(PairingOutcomeRow, answered, PairingOutcomeRow.met) == 2
    # Leaving is one click too, from any of the bot's messages.
    await community.ok(told.button("cy", "Leave the rounds"), user="cy")
    assert await community.count(PairingMemberRow, PairingMemberRow.opted_in.is_(True)) == 2
    # Next Monday: ada and bob (cy left), and never a second round 1.
    await community.tick_at(DUE + timedelta(days=7))
    assert await community.count(PairingRoundRow) == 2
    assert "@Bob" in told.to("ada")[-1].text
    await community.ok("config pairing off #coffee")
    before = len(told.dms)
    await community.tick_at(DUE + timedelta(days=14))
    assert await community.count(PairingRoundRow) == 2  # no round while off
    # Only round 2's "did you meet?" went out (the round took place before rounds were off).
    assert all(
        any((b.command or "").startswith("pairing met") for b in reply.buttons)
        for _, reply in told.dms[before:]
    )
