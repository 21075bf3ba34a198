"""The console adapter, end to end: the real CLI process, the real database file."""

from __future__ import annotations

import io
import json
import os
import select
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.adapters.console import (
    ConsoleAdapter,
    console_actor,
    render_text,
    reply_to_dict,
    tab_choices,
)
from bot.app import open_bot
from bot.config import load_settings
from bot.core.catalog import COMMANDS
from bot.core.messages import Button, Field, Image, Reply
from bot.platform_setup import command_names


def bot_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env["BOT_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    env["BOT_DATA_DIR"] = str(tmp_path / "data")
    return env


def chat_json(tmp_path: Path, stdin: bytes, *args: str) -> list[dict[str, object]]:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--json", *args],
        input=stdin,
        capture_output=True,
        env=bot_env(tmp_path),
        cwd=tmp_path,
        timeout=60,
        check=True,
    )
    assert result.stderr == b""
    return [json.loads(line) for line in result.stdout.decode().splitlines()]


def field(record: dict[str, object], name: str) -> str:
    reply = record["reply"]
    assert isinstance(reply, dict)
    return next(f["value"] for f in reply["fields"] if f["name"] == name)


def test_timezone_is_set_and_survives_a_new_process(tmp_path: Path) -> None:
    lines = chat_json(tmp_path, b"help\ntimezone Europe/Berlin\ntimezone\n")
    assert [r["input"] for r in lines] == ["help", "timezone Europe/Berlin", "timezone"]
    assert field(lines[2], "Timezone") == "Europe/Berlin"
    again = chat_json(tmp_path, b"timezone\n")
    assert field(again[0], "Timezone") == "Europe/Berlin"


def test_users_are_separate(tmp_path: Path) -> None:
    chat_json(tmp_path, b"timezone Asia/Tokyo\n", "--user", "mentor")
    learner = chat_json(tmp_path, b"timezone\n", "--user", "learner")
    assert field(learner[0], "Source") == "default"


def test_every_input_line_gets_exactly_one_json_line(tmp_path: Path) -> None:
    junk = (
        b"\n   \n\xff\xfe\x00bad bytes\n\xf0\x9f\x98\x80\xf0\x9f\x94\xa5\n"
        + b"x" * 10_000
        + b"\n/\n"
    )
    lines = chat_json(tmp_path, junk + b"about")  # last line without a newline still counts
    assert len(lines) == 7
    for record in lines:
        reply = record["reply"]
        assert isinstance(reply, dict) and reply["text"]
        assert reply["error"] != "internal"
    assert lines[-1]["input"] == "about"


def test_bad_timezone_changes_nothing(tmp_path: Path) -> None:
    lines = chat_json(tmp_path, b"timezone Mars/Olympus\ntimezone\n")
    reply = lines[0]["reply"]
    assert isinstance(reply, dict) and reply["error"] == "invalid_timezone"
    assert field(lines[1], "Source") == "default"


async def test_in_process_json_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    out = io.StringIO()
    async with open_bot(load_settings()) as bot:
        console = ConsoleAdapter(bot.dispatcher.handle, console_actor("ada", moderator=True))
        count = await console.run_json(io.BytesIO(b"tz UTC\r\nhelp about\n"), out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert count == 2 and [r["input"] for r in records] == ["tz UTC", "help about"]
    assert records[1]["reply"]["title"] == "help: about"


async def test_json_lines_survive_unicode_line_separators(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """U+2028, U+2029 and U+0085 are legal raw in JSON but split lines for str.splitlines()."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    out = io.StringIO()
    line = "checkin 5 a\u2028b\u2029c\u0085d what is docker".encode()
    async with open_bot(load_settings()) as bot:
        console = ConsoleAdapter(bot.dispatcher.handle, console_actor("ada"))
        assert await console.run_json(io.BytesIO(line + b"\n"), out) == 1
    written = out.getvalue()
    assert len(written.splitlines()) == 1
    record = json.loads(written)
    assert record["input"] == line.decode()


def test_render_text_shows_every_part() -> None:
    reply = Reply(
        text="Body",
        title="Title",
        fields=(Field("One", "1"), Field("Two", "a\nb")),
        buttons=(Button("Go", command="help"), Button("Site", url="https://example.org")),
        image=Image("map.png", b"\x89PNG", "a heatmap"),
    )
    text = render_text(reply)
    for part in (
        "Title",
        "Body",
        "One: 1",
        "a\n    b",
        "type `help`",
        "https://example.org",
        "a heatmap",
    ):
        assert part in text
    assert reply_to_dict(reply)["image"] == {
        "filename": "map.png",
        "alt_text": "a heatmap",
        "bytes": 4,
    }


@pytest.mark.parametrize("command", [["run"], ["chat", "--user", "grace"]])
def test_run_without_tokens_and_chat_start_the_interactive_console(
    tmp_path: Path, command: list[str]
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", *command],
        input=b"help\ntimezone Asia/Tokyo\nexit\ntimezone\n",
        capture_output=True,
        env=bot_env(tmp_path),
        cwd=tmp_path,
        timeout=60,
        check=True,
    )
    out = result.stdout.decode()
    assert "What I can do" in out and "Asia/Tokyo" in out
    assert out.count("== ") == 2  # `exit` ended the session before the last line
    assert result.stderr == b""  # logs went to the file, not the terminal
    assert (tmp_path / "data" / "logs" / "roadmap-bot.log").exists()


def test_progress_next_and_resources_through_the_console(tmp_path: Path) -> None:
    script = (
        b"progress git done\nprogress command line skip\nprogress\nnext\n"
        b"resources databases free\nresources rate nope-not-an-id up\nroadmap dokcer\n"
        b"progress mars done\n"
    )
    lines = chat_json(tmp_path, script)
    replies = [r["reply"] for r in lines]
    assert all(isinstance(r, dict) for r in replies)
    saved, _skipped, overview, suggested, listed, bad_rate, topic, unknown = replies
    assert saved["error"] is None and saved["ephemeral"]
    foundations = next(f for f in overview["fields"] if f["name"] == "Foundations")
    assert "(1/" in foundations["value"]  # git done; the skipped topic is not counted
    assert suggested["fields"] and "Git and version control" not in [
        f["name"] for f in suggested["fields"]
    ]
    assert 1 <= len(listed["fields"]) <= 5 and "free" in listed["title"]
    assert bad_rate["error"] == "bad_request"
    assert topic["title"] == "Containers and Docker"
    assert unknown["error"] == "unknown_topic"
    again = chat_json(tmp_path, b"progress\n")  # a new process reads the same database
    assert again[0]["reply"]["fields"] == overview["fields"]


def test_checkin_streak_and_leaderboard_through_the_console(tmp_path: Path) -> None:
    chat_json(tmp_path, b"checkin 20 http basics\n", "--user", "bea")
    script = b"checkin 45 sql joins\ncheckin 15\nstreak\nleaderboard all minutes\n"
    lines = chat_json(tmp_path, script, "--user", "ada")
    saved, again, streak, board = (record["reply"] for record in lines)
    assert isinstance(saved, dict) and saved["title"] == "Check-in saved"
    assert isinstance(again, dict) and again["title"] == "Check-in saved"  # no event id: a new one
    assert field(lines[2], "Current") == "1 day" and field(lines[2], "Total") == "60 min"
    assert isinstance(streak, dict) and streak["image"]["filename"] == "streak.png"
    assert isinstance(board, dict)
    assert board["text"].splitlines() == ["1. ada (you): 60 min", "2. bea: 20 min"]


def test_tab_completes_command_and_subcommand_names() -> None:
    assert tab_choices(COMMANDS.complete, "con") == ["config "]
    configs = ["show ", "streaks ", "prompts ", "mentoring ", "pairing ", "ask "]
    assert tab_choices(COMMANDS.complete, "config ") == configs
    assert tab_choices(COMMANDS.complete, "config st") == ["streaks "]
    assert tab_choices(COMMANDS.complete, "checkin 3") == []  # arguments are not names
    assert "tz " in tab_choices(COMMANDS.complete, "t")  # aliases complete as well


def test_help_autocomplete_offers_subcommands_by_their_full_name() -> None:
    names = command_names()
    assert {"config", "config show", "config streaks", "tz"} <= set(names)


def test_daily_prompt_set_up_posted_and_answered_through_the_console(tmp_path: Path) -> None:
    script = (
        b"config prompts time:09:00\nprompt post-now\nprompt answer grep -c ERROR app.log\n"
        b"prompt post-now\nstreak\n"
    )
    records = chat_json(tmp_path, script, "--moderator", "--user", "ada")
    posts = [r["post"] for r in records if "post" in r]
    lines = [r for r in records if "input" in r]
    assert len(lines) == 5  # every input line still gets exactly one reply line
    (post,) = posts  # the second post-now posted nothing
    assert isinstance(post, dict) and post["channel"] == "console" and post["prompt"]
    assert post["reply"]["title"].startswith("Daily prompt, ")
    saved, posted, answered, again, streak = (r["reply"] for r in lines)
    assert streak["error"] is None
    assert saved["error"] is None and posted["error"] is None
    assert field(lines[1], "Prompt") == post["prompt"]
    assert answered["error"] is None and field(lines[2], "Streak") == "1 day"
    assert again["error"] == "already_posted"
    assert field(lines[4], "Current") == "1 day"
    # The post line comes before the reply of the command that posted it.
    assert records.index(next(r for r in records if "post" in r)) == 1


def test_the_terminal_chat_prints_the_console_s_prompt_at_its_time(tmp_path: Path) -> None:
    """A prompt due a minute ago is printed when the chat starts (the catch-up), unasked."""
    now = datetime.now(UTC)
    due = now - timedelta(minutes=2)
    if due.date() != now.date():
        pytest.skip("the minutes after midnight UTC: the due time would be yesterday's")
    chat_json(tmp_path, f"config prompts time:{due:%H:%M}\n".encode(), "--moderator")
    chat = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat", "--user", "ada"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=bot_env(tmp_path),
        cwd=tmp_path,
    )
    assert chat.stdout is not None and chat.stdin is not None
    seen = b""
    deadline = time.monotonic() + 30
    while b"Daily prompt, " not in seen and (left := deadline - time.monotonic()) > 0:
        if not select.select([chat.stdout], [], [], left)[0]:
            break  # nothing printed in time: the assertion below says so
        chunk = os.read(chat.stdout.fileno(), 4096)
        if not chunk:
            break
        seen += chunk
    rest, errors = chat.communicate(b"", timeout=30)  # end of input: goodbye, and it leaves
    assert b"Daily prompt, " in seen, seen + rest
    assert chat.returncode == 0 and b"Traceback" not in errors
    again = chat_json(tmp_path, b"prompt post-now\n", "--moderator")
    assert again[0]["reply"]["error"] == "already_posted"  # printed once: the day is posted
