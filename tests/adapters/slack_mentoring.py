"""A mentoring flow on the fake Slack: the real slack-bolt over HTTP, the real app, our clock."""

from __future__ import annotations

import itertools
import json
import urllib.parse
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.app import BotContext, open_bot
from bot.config import load_settings
from bot.core.clock import FixedClock
from bot.platform_setup import reach_of, slack_adapter
from bot.storage.db import create_sessionmaker
from bot.storage.mentoring_tables import MentorOfferRow, MentorPairingRow
from bot.storage.tables import LearningEventRow
from tests.adapters.discord_mentoring import START
from tests.adapters.test_slack import free_port, serving
from tests.slack_fake import FakeSlack, SlackRequests
from tests.slack_fake.signed_requests import FORM
from tests.slack_fake.signing import HttpReply
from tests.slack_fake.world import TEAM_ID, dm_channel_id, make_user

JSON = dict[str, Any]
WAIT = 5.0


def buttons(blocks: object) -> dict[str, str]:
    """Return a message's command buttons: the command (value) by action_id."""
    found = {}
    for block in blocks if isinstance(blocks, list) else []:
        for element in block.get("elements", []) if isinstance(block, dict) else []:
            if element.get("type") == "button" and "value" in element:
                found[element["action_id"]] = element["value"]
    return found


@dataclass
class SlackFlow:
    """The bot on the fake Slack, and what members do and receive there."""

    slack: FakeSlack
    sender: SlackRequests
    bot: BotContext
    clock: FixedClock
    _keys: itertools.count[int] = field(default_factory=itertools.count)

    def key(self) -> str:
        """Return a fresh response_url key: each command's answers are kept apart."""
        return f"step-{next(self._keys)}"

    async def command(self, user: str, text: str) -> tuple[str, JSON]:
        """Run `/roadmap text` as user; return the response key and the answer."""
        key = self.key()
        status, _ = await self.sender.slash_command(
            "/roadmap", text, user_id=user, response_url=self.slack.response_url(key)
        )
        assert status == 200
        return key, (await self.slack.wait_for_response(key, WAIT)).json

    async def signup(self, user: str, zone: str, topics: str, hours: str) -> None:
        """Save the member's timezone, then sign up through the modal (views.open)."""
        await self.command(user, f"timezone {zone}")
        key, opened = self.key(), len(self.slack.opened_views)
        status, _ = await self.sender.slash_command(
            "/roadmap", "mentor signup", user_id=user, response_url=self.slack.response_url(key)
        )
        assert status == 200
        await self.slack.recorder.signal.wait_for(
            lambda: len(self.slack.opened_views) > opened or None, WAIT, "views.open"
        )
        view = self.slack.opened_views[-1]
        assert view["callback_id"] == "rb:form:mentor signup"
        filled: dict[str, str | None] = {"topics": topics, "experience": "backend",
                                         "hours": hours, "capacity": "2"}  # fmt: skip
        submitted = await self.sender.view_submission(view, filled, user_id=user)
        assert (submitted.status, submitted.body) == (200, "")  # the modal closes: accepted
        saved = (await self.slack.wait_for_response(key, WAIT)).json
        assert saved["response_type"] == "ephemeral"

    def dms(self, user: str) -> list[JSON]:
        """Return the messages posted in the bot's DM with user (refused ones are not)."""
        channel = dm_channel_id(user)
        return [c.args for c in self.slack.calls_to("chat.postMessage")
                if c.args.get("channel") == channel]  # fmt: skip

    async def wait_dms(self, user: str, count: int) -> list[JSON]:
        """Wait until user has count DMs; return them all."""

        def enough() -> list[JSON] | None:
            found = self.dms(user)
            return found if len(found) >= count else None

        found: list[JSON] = await self.slack.recorder.signal.wait_for(
            enough, WAIT, f"{count} DMs to {user}"
        )
        return found

    async def click(self, user: str, action_id: str, command: str) -> tuple[str, HttpReply]:
        """Click a button in user's DM with the bot; return the response key and the post."""
        key = self.key()
        sent = await self.sender.block_action(
            action_id, command, user_id=user, channel_id=dm_channel_id(user),
            response_url=self.slack.response_url(key),
        )  # fmt: skip
        assert sent.status == 200
        return key, sent

    async def resend(self, click: HttpReply) -> None:
        """Deliver the same click again (same action_ts), as a retrying Slack would."""
        body = urllib.parse.urlencode({"payload": json.dumps(click.sent)})
        again = await self.sender.post(body, FORM, sent=click.sent)
        assert again.status == 200

    async def tick(self, after: Any) -> int:
        """Move the clock on and run the mentoring timer once."""
        self.clock.advance(after)
        done: int = await self.bot.timers["mentoring"].run()
        return done

    async def rows(self, table: Any) -> list[Any]:
        """Return every row of a table, as mappings, oldest first."""
        async with create_sessionmaker(self.bot.engine)() as session:
            query = select(table.__table__).order_by(table.__table__.c.id)
            return list((await session.execute(query)).mappings().all())

    async def offers(self) -> list[Any]:
        return await self.rows(MentorOfferRow)

    async def pairings(self) -> list[Any]:
        return await self.rows(MentorPairingRow)

    async def sessions_held(self) -> list[Any]:
        return [e for e in await self.rows(LearningEventRow) if e["kind"] == "mentor_session"]


def member(user: str) -> str:
    """Return the core's id of a Slack member of the fake workspace."""
    return f"{TEAM_ID}:{user}"


@asynccontextmanager
async def slack_flow(tmp_path: Path, *extra: tuple[str, str, str]) -> AsyncIterator[SlackFlow]:
    """Run the whole bot's Slack adapter over HTTP on a fixed clock; extra (id, name, tz)."""
    async with FakeSlack() as slack:
        for user_id, name, zone in extra:
            slack.users[user_id] = make_user(user_id, name, name.title(), zone, 0)
        port = free_port()
        settings = load_settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            data_dir=tmp_path / "data",
            slack_bot_token=slack.bot_token,
            slack_signing_secret=slack.signing_secret,
            slack_api_base=slack.api_base,
            slack_host="127.0.0.1",
            slack_port=port,
        )
        adapter = slack_adapter(settings)
        clock = FixedClock(START)
        async with (
            open_bot(settings, clock, reach_of([adapter])) as bot,
            serving(adapter, port, bot.dispatcher.handle, bot.prompt_threads) as endpoint,
            slack.signed_requests(endpoint) as sender,
        ):
            yield SlackFlow(slack, sender, bot, clock)
        assert slack.errors == []
