"""A mentoring flow on the fake Discord: the real discord.py, the real app, a clock we move."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.app import BotContext, open_bot
from bot.core.clock import FixedClock
from bot.platform_setup import discord_adapter, reach_of
from bot.serving import serve
from bot.storage.db import create_sessionmaker
from bot.storage.mentoring_tables import MentorOfferRow, MentorPairingRow, MentorRequestRow
from bot.storage.tables import LearningEventRow
from tests.adapters.test_discord import settings_on
from tests.adapters.test_discord_forms import MODAL, MODAL_SUBMIT
from tests.discord_fake import FakeDiscord, SentInteraction, make_client_overrides

JSON = dict[str, Any]
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday, before either DST change
COMPONENT = 3
EPHEMERAL = 64
CLOSED_DMS = {"message": "Cannot send messages to this user", "code": 50007}
DM_MESSAGE = r"/channels/\d+/messages"
WAIT = 5.0


def custom_ids(body: JSON) -> list[str]:
    """Return the custom_ids of a message's buttons, in order."""
    rows = body.get("components") or []
    return [c.get("custom_id", "") for row in rows for c in row.get("components", [])]


def embed_text(body: JSON) -> str:
    """Return everything a message's embeds say: titles, descriptions, fields."""
    parts = []
    for embed in body.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']}: {f['value']}" for f in embed.get("fields") or []]
    return "\n".join(parts)


def fields_of(body: JSON) -> dict[str, str]:
    """Return the fields of a message's first embed by name."""
    embeds = body.get("embeds") or [{}]
    return {f["name"]: f["value"] for f in embeds[0].get("fields") or []}


@dataclass
class Flow:
    """The bot on the fake Discord, and what members do and receive there."""

    fake: FakeDiscord
    bot: BotContext
    clock: FixedClock

    @property
    def guild(self) -> str:
        return str(self.fake.guild_id)

    def member(self, name: str) -> JSON:
        """Return a member's user object by username."""
        return next(u for u in self.fake.world.users.values() if u["username"] == name)

    async def command(
        self, user: JSON, name: str, options: JSON | None = None, *, subcommand: str | None = None
    ) -> tuple[SentInteraction, JSON]:
        """Run a slash command as user; return it and the bot's answer (the callback body)."""
        sent = await self.fake.send_interaction(name, options, subcommand=subcommand, user=user)
        answer = await self.fake.wait_for_interaction_response(sent, WAIT)
        return sent, answer.json

    async def signup(self, user: JSON, zone: str, topics: str, hours: str) -> None:
        """Save the member's timezone, then sign them up as a mentor through the form."""
        await self.command(user, "timezone", {"zone": zone})
        sent, opened = await self.command(user, "mentor", subcommand="signup")
        assert opened["type"] == MODAL
        form = opened["data"]["custom_id"]
        filled = {"topics": topics, "experience": "backend", "hours": hours, "capacity": "2"}
        sent = await self.fake.send_interaction(
            type=MODAL_SUBMIT, custom_id=form, fields=filled, user=user
        )
        saved = (await self.fake.wait_for_interaction_response(sent, WAIT)).json
        assert saved["data"]["flags"] & EPHEMERAL and "error" not in str(saved).lower()

    async def request(self, user: JSON, topic: str, context: str, hours: str) -> JSON:
        """Ask for a mentor as user; return the bot's answer."""
        options = {"topic": topic, "context": context, "hours": hours}
        _, answer = await self.command(user, "mentor", options, subcommand="request")
        return answer

    def dm_channel(self, user: JSON) -> str | None:
        """Return the id of the bot's DM channel with user, once the bot opened it."""
        channel = self.fake.world.dm_channels.get(int(user["id"]))
        return None if channel is None else str(channel["id"])

    def dms(self, user: JSON) -> list[JSON]:
        """Return the DMs Discord delivered to user (refused ones are not), oldest first."""
        channel = self.dm_channel(user)
        if channel is None:
            return []
        taken = self.fake.requests_matching("POST", rf"/channels/{channel}/messages")
        return [r.json for r in taken if r.status < 400 and isinstance(r.json, dict)]

    async def wait_dms(self, user: JSON, count: int) -> list[JSON]:
        """Wait until user has count DMs; return them all."""

        def enough() -> list[JSON] | None:
            found = self.dms(user)
            return found if len(found) >= count else None

        what = f"{count} DMs to {user['username']}"
        found: list[JSON] = await self.fake.recorder.signal.wait_for(enough, WAIT, what)
        return found

    async def click(
        self, user: JSON, custom_id: str, *, in_dm: bool = True, interaction_id: int | None = None
    ) -> SentInteraction:
        """Click a button as user, in their DM with the bot (no guild) or in #general."""
        if in_dm:
            channel = self.dm_channel(user)
            assert channel is not None
            return await self.fake.send_interaction(
                type=COMPONENT, custom_id=custom_id, guild=False, user=user,
                channel_id=int(channel), interaction_id=interaction_id,
            )  # fmt: skip
        return await self.fake.send_interaction(
            type=COMPONENT, custom_id=custom_id, user=user, interaction_id=interaction_id
        )

    async def answer_to(self, sent: SentInteraction) -> JSON:
        """Return the bot's answer to an interaction."""
        return (await self.fake.wait_for_interaction_response(sent, WAIT)).json

    async def tick(self, after: timedelta) -> int:
        """Move the clock on and run the mentoring timer once, as the scheduler would."""
        self.clock.advance(after)
        done: int = await self.bot.timers["mentoring"].run()
        return done

    async def rows(self, table: Any) -> list[Any]:
        """Return every row of a table, as mappings."""
        async with create_sessionmaker(self.bot.engine)() as session:
            return list((await session.execute(select(table.__table__))).mappings().all())

    async def offers(self) -> list[Any]:
        return await self.rows(MentorOfferRow)

    async def pairings(self) -> list[Any]:
        return await self.rows(MentorPairingRow)

    async def requests(self) -> list[Any]:
        return await self.rows(MentorRequestRow)

    async def sessions_held(self) -> list[Any]:
        events = await self.rows(LearningEventRow)
        return [e for e in events if e["kind"] == "mentor_session"]


@asynccontextmanager
async def discord_flow(tmp_path: Path, *extra_members: str) -> AsyncIterator[Flow]:
    """Run the whole bot on a fake Discord with extra plain members, on a fixed clock."""
    async with FakeDiscord() as fake:
        for name in extra_members:
            fake.world.add_member(name)
        with make_client_overrides(fake):
            settings = settings_on(fake, tmp_path)
            adapter = discord_adapter(settings, guild_ready_timeout=0.1)
            clock = FixedClock(START)
            async with open_bot(settings, clock, reach_of([adapter])) as bot:
                task = asyncio.create_task(serve(adapter, bot))
                try:
                    await fake.wait_until_identified()
                    yield Flow(fake, bot, clock)
                finally:
                    await adapter.close()
                    await asyncio.wait_for(task, 5)
        assert fake.errors == []
