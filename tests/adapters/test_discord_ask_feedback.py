"""Helpful / Not helpful on Discord: the real discord.py against the fake Discord, whole bot.

An answer's buttons are clicked (INTERACTION_CREATE type 3); the rating reaches the tables,
counts once per member (a repeated interaction is dropped), and `/ask stats` reads it.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot.storage.ask_tables import AskRatingRow
from bot.storage.db import create_sessionmaker
from tests.adapters.test_discord import Running, running

__all__ = ["running"]  # the fixture, shared with test_discord.py

COMPONENT = 3
MODERATOR = 1 << 5  # Manage Server


def buttons(message: dict[str, Any]) -> dict[str, str]:
    """Return label -> custom_id of a message's buttons."""
    rows = message.get("components") or []
    return {c["label"]: c["custom_id"] for row in rows for c in row["components"]}


async def ratings(running: Running) -> list[tuple[str, bool]]:
    async with create_sessionmaker(running.bot.engine)() as session:
        rows = await session.execute(select(AskRatingRow.user_id, AskRatingRow.helpful))
        return sorted((str(user), bool(helpful)) for user, helpful in rows)


async def test_a_click_on_an_answer_stores_the_rating_once(running: Running) -> None:
    fake = running.fake
    alice, mod = fake.member_user, fake.moderator_user
    body = await running.command(
        "ask", subcommand="question", options={"question": "what is docker?"}
    )
    shown = buttons(body["data"])
    assert set(shown) == {"Helpful", "Not helpful"}
    assert shown["Helpful"].endswith("ask feedback 1 yes")
    assert shown["Not helpful"].endswith("ask feedback 1 no")

    first = await fake.send_interaction(
        type=COMPONENT, custom_id=shown["Not helpful"], user=alice, interaction_id=9001
    )
    thanks = (await fake.wait_for_interaction_response(first)).json
    assert thanks["data"]["flags"] & 64  # only the clicker sees it
    assert thanks["data"]["embeds"][0].get("color") != 0xC0392B
    # Discord delivers the same interaction again: it is not acted on a second time.
    again = await fake.send_interaction(
        type=COMPONENT, custom_id=shown["Not helpful"], user=alice, interaction_id=9001
    )
    with pytest.raises(TimeoutError):
        await fake.wait_for_request("POST", again.callback_path, timeout=0.5, count=2)

    changed = await fake.send_interaction(type=COMPONENT, custom_id=shown["Helpful"], user=alice)
    await fake.wait_for_interaction_response(changed)
    other = await fake.send_interaction(type=COMPONENT, custom_id=shown["Helpful"], user=mod)
    await fake.wait_for_interaction_response(other)
    assert await ratings(running) == sorted([(alice["id"], True), (mod["id"], True)])

    stats = await running.command("ask", subcommand="stats", user=mod, permissions=MODERATOR)
    fields = {f["name"]: f["value"] for f in stats["data"]["embeds"][0]["fields"]}
    assert fields["Helpful rate"].startswith("100% (2 of 2")
    assert stats["data"]["flags"] & 64


async def test_a_mention_s_answer_carries_the_buttons_and_a_declined_one_none(
    running: Running,
) -> None:
    fake = running.fake
    bot = fake.bot_user
    question = await fake.send_message(f"<@{bot['id']}> what is docker?", mentions=[bot])
    posted = await fake.wait_for_request("POST", rf"/channels/{question['id']}/messages")
    assert buttons(posted.json)["Helpful"].endswith("ask feedback 1 yes")
    refused = await fake.send_message(f"<@{bot['id']}> plan me a trip to Lisbon", mentions=[bot])
    answer = await fake.wait_for_request("POST", rf"/channels/{refused['id']}/messages")
    assert buttons(answer.json) == {}


async def test_a_member_may_not_see_the_stats(running: Running) -> None:
    body = await running.command("ask", subcommand="stats")
    assert body["data"]["embeds"][0].get("color") == 0xC0392B
    assert "moderators" in str(body["data"]["embeds"][0]).lower()
