"""A bad path or broken content is one line on stderr and exit code 2, from every command.

`check-config` says the same as the command that would fail, so it catches it before `run`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.paths import resource_dir

PASSWORD = "hunter2"  # noqa: S105 - must never be printed


def run_cli(
    tmp_path: Path, settings: dict[str, str], *args: str, module: str = "bot"
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env["BOT_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    env["BOT_DATA_DIR"] = str(tmp_path / "data")
    env.update(settings)
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        input="",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )


def assert_one_line(result: subprocess.CompletedProcess[str], *named: str) -> str:
    """Check exit code 2 and a single stderr line that names each of named; return it."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    for name in named:
        assert name in lines[0]
    assert PASSWORD not in result.stderr + result.stdout
    return lines[0]


@pytest.fixture
def a_file(tmp_path: Path) -> Path:
    path = tmp_path / "README.md"
    path.write_text("# not a folder\n")
    return path


@pytest.mark.parametrize("command", [["check-config"], ["ask", "hi"], ["chat", "--json"]])
def test_a_missing_content_folder(tmp_path: Path, command: list[str]) -> None:
    result = run_cli(tmp_path, {"BOT_CONTENT_DIR": "/nonexistent"}, *command)
    assert_one_line(result, "BOT_CONTENT_DIR", "/nonexistent")


@pytest.mark.parametrize("command", [["check-config"], ["chat"], ["run"]])
def test_a_data_folder_that_is_a_file(tmp_path: Path, a_file: Path, command: list[str]) -> None:
    result = run_cli(tmp_path, {"BOT_DATA_DIR": "README.md"}, *command)
    assert_one_line(result, "BOT_DATA_DIR", "README.md")
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize("command", [["check-config"], ["migrate"], ["chat", "--json"]])
def test_a_sqlite_file_inside_a_file(tmp_path: Path, a_file: Path, command: list[str]) -> None:
    url = "sqlite+aiosqlite:///./README.md/x.db"
    result = run_cli(tmp_path, {"BOT_DATABASE_URL": url}, *command)
    assert_one_line(result, "BOT_DATABASE_URL", "README.md")


def test_a_sqlite_file_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "db").mkdir()
    result = run_cli(tmp_path, {"BOT_DATABASE_URL": "sqlite:///db"}, "check-config")
    assert_one_line(result, "BOT_DATABASE_URL", "folder")


@pytest.mark.parametrize("port", ["notaport", "99999", "\uff15\uff14\uff13\uff12"])
def test_a_database_port_that_is_not_a_number(tmp_path: Path, port: str) -> None:
    url = f"postgresql+asyncpg://bot:{PASSWORD}@127.0.0.1:{port}/db"
    for command in (["check-config"], ["migrate"]):
        result = run_cli(tmp_path, {"BOT_DATABASE_URL": url}, *command)
        assert_one_line(result, "BOT_DATABASE_URL", "port")


def test_a_password_with_a_slash_is_not_taken_for_a_port(tmp_path: Path) -> None:
    url = "postgresql+asyncpg://bot:pa/ss:wd@127.0.0.1:5432/db"
    result = run_cli(tmp_path, {"BOT_DATABASE_URL": url}, "check-config")
    assert result.returncode == 0, result.stderr
    assert "pa/ss" not in result.stdout


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(resource_dir("roadmap_data"), folder)
    return folder


def break_topics(content: Path, text: str) -> None:
    (content / "topics.yaml").write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    "command", [["check-config"], ["ask", "what is docker?"], ["chat", "--json"], ["run"]]
)
def test_broken_yaml_names_the_file_and_line(
    tmp_path: Path, content: Path, command: list[str]
) -> None:
    break_topics(content, "topics:\n  - id: git\n    name: [unclosed\n")
    result = run_cli(tmp_path, {"BOT_CONTENT_DIR": str(content)}, *command)
    line = assert_one_line(result, "topics.yaml:4", "YAML")
    assert "line 3" in line  # where the unclosed list began
    assert result.stdout == ""


@pytest.mark.parametrize("command", [["check-config"], ["chat", "--json"], ["run"]])
def test_a_broken_prompt_bank_is_caught_by_check_config_before_run(
    tmp_path: Path, content: Path, command: list[str]
) -> None:
    bank = content / "prompts" / "web.yaml"
    bank.write_text(bank.read_text(encoding="utf-8") + "  - id: x\n    title: [unclosed\n")
    result = run_cli(tmp_path, {"BOT_CONTENT_DIR": str(content)}, *command)
    line = assert_one_line(result, "prompts/web.yaml:", "YAML")
    assert "from line" in line  # where the unclosed list began


def test_a_schema_mistake_names_the_file_line_and_field(tmp_path: Path, content: Path) -> None:
    topics = (content / "topics.yaml").read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(topics) if line.strip() == "stage: foundations")
    topics[index] = topics[index].replace("foundations", "basement")
    break_topics(content, "\n".join(topics) + "\n")
    result = run_cli(tmp_path, {"BOT_CONTENT_DIR": str(content)}, "check-config")
    assert_one_line(result, f"topics.yaml:{index + 1}:", "stage")


def test_a_missing_content_file_is_named(tmp_path: Path, content: Path) -> None:
    (content / "vocabulary.yaml").unlink()
    result = run_cli(tmp_path, {"BOT_CONTENT_DIR": str(content)}, "check-config")
    assert_one_line(result, "vocabulary.yaml")


def test_the_content_checker_names_the_file_and_line(tmp_path: Path, content: Path) -> None:
    break_topics(content, "topics:\n  - id: git\n\tname: tab\n")
    result = run_cli(tmp_path, {}, str(content), module="bot.storage.content")
    assert_one_line(result, "topics.yaml:3")
    assert result.stdout == ""
    missing = run_cli(tmp_path, {}, str(tmp_path / "nope"), module="bot.storage.content")
    assert_one_line(missing, "nope")


def test_the_content_checker_passes_the_shipped_content(tmp_path: Path) -> None:
    result = run_cli(tmp_path, {}, str(resource_dir("roadmap_data")), module="bot.storage.content")
    assert result.returncode == 0 and result.stdout.startswith("OK: ")
