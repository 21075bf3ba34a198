"""Helpful / Not helpful on Slack: real slack-bolt over signed HTTP against the fake Slack.

An answer's buttons are clicked (block_actions); the rating reaches the tables, a retried
click acts once, and `/roadmap ask stats` reads it for workspace admins only.
"""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

import pytest
from sqlalchemy import select

from bot.storage.ask_tables import AskRatingRow
from bot.storage.db import create_sessionmaker
from tests.adapters.test_slack import Running, running
from tests.slack_fake.signed_requests import FORM

__all__ = ["running"]  # the fixture, shared with test_slack.py


def buttons(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Return the value (command line) -> element of the buttons in blocks."""
    return {
        e["value"]: e
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if "value" in e
    }


async def ratings(running: Running) -> list[tuple[str, bool]]:
    assert running.bot is not None
    async with create_sessionmaker(running.bot.engine)() as session:
        rows = await session.execute(select(AskRatingRow.user_id, AskRatingRow.helpful))
        return sorted((str(user), bool(helpful)) for user, helpful in rows)


async def test_a_click_on_an_answer_stores_the_rating_once(running: Running) -> None:
    body = await running.command("ask what is docker?")
    shown = buttons(body["blocks"])
    assert set(shown) == {"ask feedback 1 yes", "ask feedback 1 no"}

    no = shown["ask feedback 1 no"]
    click = await running.sender.block_action(no["action_id"], no["value"], user_id="U_MEMBER")
    assert click.status == 200
    thanks = await running.slack.wait_for_response("default", count=2)
    assert thanks.json["response_type"] == "ephemeral"
    # Slack retries the same click (same action_ts): it acts once.
    again = urllib.parse.urlencode({"payload": json.dumps(click.sent)})
    assert (await running.sender.post(again, FORM, sent=click.sent)).status == 200
    with pytest.raises(TimeoutError):
        await running.slack.wait_for_response("default", timeout=0.5, count=3)
    assert await ratings(running) == [("T0001:U_MEMBER", False)]

    yes = shown["ask feedback 1 yes"]
    await running.sender.block_action(yes["action_id"], yes["value"], user_id="U_MEMBER")
    await running.slack.wait_for_response("default", count=3)
    await running.sender.block_action(yes["action_id"], yes["value"], user_id="U_ADMIN")
    await running.slack.wait_for_response("default", count=4)
    assert await ratings(running) == [("T0001:U_ADMIN", True), ("T0001:U_MEMBER", True)]

    stats = await running.command("ask stats", user_id="U_ADMIN", count=5)
    assert stats["response_type"] == "ephemeral"
    assert "100% (2 of 2" in str(stats["blocks"])
    refused = await running.command("ask stats", user_id="U_MEMBER", count=6)
    assert "Only moderators" in refused["text"]


async def test_a_mention_s_answer_carries_the_buttons(running: Running) -> None:
    await running.sender.app_mention("what is docker?", ts="1700000000.000100")
    posted = await running.slack.wait_for_call("chat.postMessage")
    assert set(buttons(posted.args["blocks"])) == {"ask feedback 1 yes", "ask feedback 1 no"}
