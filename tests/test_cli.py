"""The command line and the settings behind it: help, bad settings, secrets, migrate."""

from __future__ import annotations

import base64
import contextlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import build_parser, main
from bot.config import load_settings

SUBCOMMANDS = ("run", "chat", "migrate", "check-config")


@pytest.fixture(autouse=True)
def clean_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run each test in an empty folder with no BOT_ settings (no stray .env either)."""
    for name in list(os.environ):
        if name.startswith("BOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    return tmp_path


def test_help_lists_every_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    for name in SUBCOMMANDS:
        assert name in out


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_each_subcommand_has_help_text(name: str) -> None:
    subparsers = build_parser()._subparsers._group_actions[0]  # type: ignore[union-attr]
    assert subparsers.choices[name].description
    assert any(action.dest == name and action.help for action in subparsers._choices_actions)


def test_python_dash_m_bot_is_the_same_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--help"], capture_output=True, text=True, check=True
    )
    assert all(name in result.stdout for name in SUBCOMMANDS)


@pytest.mark.parametrize(
    ("name", "value", "mentioned"),
    [
        ("BOT_DATABASE_URL", "mysql://root:hunter2@db/bot", "BOT_DATABASE_URL"),
        ("BOT_DATABASE_URL", "not a url at all hunter2", "BOT_DATABASE_URL"),
        ("BOT_LOG_LEVEL", "LOUD", "BOT_LOG_LEVEL"),
        ("BOT_DEFAULT_TIMEZONE", "Mars/Olympus", "BOT_DEFAULT_TIMEZONE"),
        ("BOT_EVENT_RETENTION_DAYS", "0", "BOT_EVENT_RETENTION_DAYS"),
    ],
)
def test_bad_setting_is_one_line_and_exit_code_2(
    name: str,
    value: str,
    mentioned: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(name, value)
    assert main(["check-config"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and mentioned in lines[0]
    assert "hunter2" not in captured.err


def test_settings_come_from_dotenv(
    clean_environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BOT_DATABASE_URL")
    (clean_environment / ".env").write_text(
        "BOT_DEFAULT_TIMEZONE=Asia/Tokyo\nBOT_LOG_LEVEL=debug\n"
    )
    settings = load_settings()
    assert settings.default_timezone == "Asia/Tokyo" and settings.log_level == "DEBUG"


def test_plain_driver_urls_get_the_async_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_DATABASE_URL", "postgres://bot:pw@localhost/bot")
    url = load_settings().database_url.get_secret_value()
    assert url.startswith("postgresql+asyncpg://")


def test_secrets_are_never_printed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOT_DISCORD_TOKEN", "discord-secret-123")
    monkeypatch.setenv("BOT_SLACK_BOT_TOKEN", "xoxb-secret-456")
    monkeypatch.setenv("BOT_SLACK_SIGNING_SECRET", "signing-secret-789")
    settings = load_settings()
    for text in (repr(settings), str(settings), settings.model_dump_json()):
        assert "secret-123" not in text and "secret-456" not in text and "secret-789" not in text
    assert main(["check-config"]) == 0
    out = capsys.readouterr().out
    assert "secret-123" not in out and "secret-456" not in out and "secret-789" not in out
    assert "BOT_DISCORD_TOKEN: set (hidden)" in out


def test_check_config_hides_the_database_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOT_DATABASE_URL", "postgresql+asyncpg://bot:hunter2@localhost/bot")
    assert main(["check-config"]) == 0
    out = capsys.readouterr().out
    assert "hunter2" not in out and "bot:***@localhost" in out
    assert "console" in out


def test_migrate_then_migrate_again(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate"]) == 0
    first = capsys.readouterr().out
    assert main(["migrate"]) == 0
    second = capsys.readouterr().out
    assert "migrated from empty" in first and "already up to date" in second


def test_check_config_ping_reaches_the_database(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-config", "--ping"]) == 0
    assert "reachable (empty)" in capsys.readouterr().out
    assert main(["migrate"]) == 0
    assert main(["check-config", "--ping"]) == 0
    assert "reachable (revision " in capsys.readouterr().out


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        # What a start killed mid-migration left behind before migrations were atomic.
        ("DROP TABLE alembic_version", "no migration revision"),
        ("UPDATE alembic_version SET version_num = 'ffff'", "revision ffff is unknown"),
    ],
)
def test_a_schema_migrations_cannot_fix_is_one_line(
    damage: str, problem: str, clean_environment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["migrate"]) == 0
    with contextlib.closing(sqlite3.connect(clean_environment / "bot.db")) as db, db:
        db.execute(damage)
    capsys.readouterr()

    assert main(["check-config", "--ping"]) == 2
    out, err = capsys.readouterr()
    assert "reachable" not in out
    assert len(err.strip().splitlines()) == 1 and problem in err
    # A start says the same, instead of failing on CREATE TABLE with a traceback.
    assert main(["migrate"]) == 1
    err = capsys.readouterr().err  # after the INFO log lines
    assert "Traceback" not in err and err.strip().splitlines()[-1].startswith("roadmap-bot: ")
    assert problem in err.strip().splitlines()[-1]


def test_unreachable_database_is_one_line_and_exit_code_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOT_DATABASE_URL", "postgresql+asyncpg://bot:hunter2@127.0.0.1:1/bot")
    assert main(["check-config", "--ping"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot reach the database" in err[0] and "hunter2" not in err[0]


# Runs the CLI in a fresh interpreter and reports which platform libraries it loaded.
_LOADED_PLATFORMS = """
import sys
from bot.cli import main
code = main(sys.argv[1:])
loaded = sorted({m.split(".")[0] for m in sys.modules} & {"discord", "slack_bolt", "slack_sdk"})
print("loaded:", ",".join(loaded), file=sys.stderr)
sys.exit(code)
"""


@pytest.mark.parametrize(
    "command", [["chat", "--json"], ["chat"], ["run"], ["ask", "what is docker?"]]
)
def test_no_platform_library_is_imported_without_tokens(
    command: list[str], clean_environment: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env["BOT_DATABASE_URL"] = f"sqlite+aiosqlite:///{clean_environment / 'bot.db'}"
    result = subprocess.run(
        [sys.executable, "-c", _LOADED_PLATFORMS, *command],
        input="help\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=clean_environment,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout  # it answered
    assert result.stderr.strip().splitlines()[-1] == "loaded:"


def test_discord_invite_reads_the_application_id_from_the_token(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    first = base64.b64encode(b"123456789012345678").decode().rstrip("=")
    monkeypatch.setenv("BOT_DISCORD_TOKEN", f"{first}.GhIjKl.secret-part")
    assert main(["discord-invite"]) == 0
    assert "client_id=123456789012345678" in capsys.readouterr().out


@pytest.mark.parametrize("token", ["hunter2-not-a-token", "%%%.abc.def", "bm9wZQ.abc.def"])
def test_discord_invite_with_a_malformed_token_says_so(
    token: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOT_DISCORD_TOKEN", token)
    assert main(["discord-invite"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1
    assert "BOT_DISCORD_TOKEN" in err and "malformed" in err and "not set" not in err
    assert token not in err and token.split(".")[0] not in err


def test_discord_invite_without_a_token_says_what_to_set(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["discord-invite"]) == 2
    assert "BOT_DISCORD_TOKEN" in capsys.readouterr().err
