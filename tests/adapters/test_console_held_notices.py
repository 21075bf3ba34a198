"""Private messages in the console: printed as private lines, or held and shown once."""

from __future__ import annotations

import io
import json
from pathlib import Path

from bot.adapters.console import ConsoleAdapter, console_actor, render_text, reply_to_dict
from bot.adapters.console_notifier import ConsoleNotifier
from bot.app import open_bot
from bot.config import Settings, load_settings
from bot.core.messages import Button, Platform, Reply
from bot.core.ports import MemberKey, Reach
from tests.adapters.test_console import chat_json

ADA = MemberKey(Platform.CONSOLE, "ada")
OFFER = Reply(
    title="Mentoring offer",
    text="Can you mentor a learner on docker-volumes?",
    buttons=(Button("My streak", command="streak"),),
)


def settings_in(tmp_path: Path) -> Settings:
    return load_settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", data_dir=tmp_path / "data"
    )


async def test_a_dm_to_another_console_user_is_a_marked_private_line(tmp_path: Path) -> None:
    screen = io.StringIO()
    reach = Reach(notifiers={Platform.CONSOLE: ConsoleNotifier(screen)})
    async with open_bot(settings_in(tmp_path), reach=reach) as bot:
        assert await bot.private.send(ADA, OFFER, space_id="local") is True
        # Nothing was held: ada's next line brings no notice.
        reply = await ConsoleAdapter(bot.dispatcher.handle, console_actor("ada")).ask("streak")

    printed = screen.getvalue()
    assert printed.startswith("(private to @ada)") and "docker-volumes" in printed
    assert "type `streak`" in printed  # a button is a command to type
    assert reply is not None and reply.notices == ()


async def test_json_lines_give_a_private_message_a_line_of_its_own() -> None:
    screen = io.StringIO()
    await ConsoleNotifier(screen, json_lines=True).direct(ADA, OFFER, space_id="local")

    (line,) = screen.getvalue().splitlines()
    record = json.loads(line)
    assert record["private"]["to"] == "ada"
    assert "docker-volumes" in record["private"]["reply"]["text"]


async def test_a_held_notice_is_shown_to_its_member_once(tmp_path: Path) -> None:
    # Reach() has no console notifier: like a platform refusing, the notice is held.
    async with open_bot(settings_in(tmp_path), reach=Reach()) as bot:
        assert await bot.private.send(ADA, OFFER, space_id="local") is False
        bob = await ConsoleAdapter(bot.dispatcher.handle, console_actor("bob")).ask("streak")
        ada = ConsoleAdapter(bot.dispatcher.handle, console_actor("ada"))
        first, second = await ada.ask("streak"), await ada.ask("streak")

    assert bob is not None and bob.notices == ()  # someone else's notice is not theirs
    assert first is not None and second is not None
    assert [notice.reply.text for notice in first.notices] == [OFFER.text]
    assert second.notices == ()
    text = render_text(first)
    assert "held for you" in text and text.count("docker-volumes") == 1
    assert "docker-volumes" not in render_text(second)
    assert reply_to_dict(first)["notices"] == [
        {"space": "local", "reply": reply_to_dict(first.notices[0].reply)}
    ]


async def test_the_json_harness_shows_a_held_notice_once(tmp_path: Path) -> None:
    async with open_bot(settings_in(tmp_path), reach=Reach()) as bot:
        assert await bot.private.send(ADA, OFFER, space_id="local") is False

    lines = chat_json(tmp_path, b"streak\nstreak\n", "--user", "ada")

    assert len(lines) == 2  # still one line per input
    notices = [record["reply"]["notices"] for record in lines]  # type: ignore[index]
    assert [len(n) for n in notices] == [1, 0]
    assert "docker-volumes" in notices[0][0]["reply"]["text"]
