"""The Docker image and compose file, read statically, and the flag that keeps a container from
starting a terminal chat it cannot use.

Docker itself is not needed: the Dockerfile and docker-compose.yml are parsed as text and YAML,
and `roadmap-bot run` is started the way the image starts it (its ENV, stdin closed).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import TypeAdapter

from bot.config import Settings

ROOT = Path(__file__).resolve().parent.parent
TOKEN_SETTINGS = ("BOT_DISCORD_TOKEN", "BOT_SLACK_BOT_TOKEN")
_VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?::?-(?P<default>[^}]*))?\}")


def dockerfile_runtime_instructions() -> list[tuple[str, str]]:
    """Return (INSTRUCTION, arguments) of the Dockerfile's last stage, continuations joined."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    logical: list[str] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):  # a comment inside a continued instruction
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""
    instructions = [tuple(line.split(maxsplit=1)) for line in logical]
    pairs = [(name.upper(), rest[0] if rest else "") for name, *rest in instructions]
    last_from = max(i for i, (name, _) in enumerate(pairs) if name == "FROM")
    return pairs[last_from:]


def image_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for name, arguments in dockerfile_runtime_instructions():
        if name == "ENV":
            for pair in shlex.split(arguments):
                key, _, value = pair.partition("=")
                env[key] = value
    return env


def image_exposed_ports() -> set[int]:
    ports: set[int] = set()
    for name, arguments in dockerfile_runtime_instructions():
        if name == "EXPOSE":
            ports.update(int(port.split("/")[0]) for port in arguments.split())
    return ports


def bot_service() -> dict[str, Any]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    service: dict[str, Any] = compose["services"]["bot"]
    return service


def interpolate(value: object, variables: dict[str, str] | None = None) -> str:
    """Interpolate ${NAME} and ${NAME:-default} as Compose does (defaults when NAME is unset)."""
    given = variables or {}
    return _VARIABLE.sub(lambda m: given.get(m["name"], m["default"] or ""), str(value))


def default_slack_port() -> int:
    port = Settings.model_fields["slack_port"].default
    assert isinstance(port, int)
    return port


def test_the_image_exposes_the_slack_http_port() -> None:
    assert default_slack_port() in image_exposed_ports(), (
        f"the Dockerfile should EXPOSE {default_slack_port()}, BOT_SLACK_PORT's default"
    )


def test_compose_publishes_the_port_the_bot_listens_on() -> None:
    service = bot_service()
    # The container listens on BOT_SLACK_PORT; "host:container" or "ip:host:container" ends with
    # the container's port. Both must agree with the default and with a value from .env.
    for variables, port in (({}, str(default_slack_port())), ({"BOT_SLACK_PORT": "4000"}, "4000")):
        published = [interpolate(entry, variables) for entry in service.get("ports", [])]
        assert any(entry.split(":")[-1] == port for entry in published), (
            f"docker-compose.yml should publish container port {port}; it publishes {published}"
        )
        listen = interpolate(service["environment"].get("BOT_SLACK_PORT", ""), variables)
        assert listen == port, f"the bot would listen on {listen!r}, not the published {port}"
    # The listener binds every interface inside the container, or the mapping reaches nothing.
    assert Settings.model_fields["slack_host"].default == "0.0.0.0"  # noqa: S104


def test_compose_env_file_works_before_compose_2_24() -> None:
    env_file = bot_service()["env_file"]
    entries = env_file if isinstance(env_file, list) else [env_file]
    # The long form ({path, required}) is Compose 2.24+; plain paths work everywhere.
    assert all(isinstance(entry, str) for entry in entries), env_file
    assert (ROOT / ".env.example").exists()  # what the README tells people to copy to .env


def test_the_image_refuses_the_console_and_compose_does_not_loop_on_that() -> None:
    value = image_env().get("BOT_REQUIRE_PLATFORM")
    assert value is not None, "the Dockerfile should set BOT_REQUIRE_PLATFORM"
    assert TypeAdapter(bool).validate_python(value) is True
    # That stop exits 0 (tested below); only a policy that ignores clean exits stops once.
    # `always` and `unless-stopped` restart whatever the exit code.
    restart = str(bot_service().get("restart", "no"))
    assert restart in ("no", "on-failure") or restart.startswith("on-failure:"), restart


def run_like_the_image(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update(
        BOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        BOT_DATA_DIR=str(tmp_path / "data"),
        **extra,
    )
    return subprocess.run(
        [sys.executable, "-m", "bot", "run", "--log-json"],
        stdin=subprocess.DEVNULL,  # as in a container: no terminal, stdin closed
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("flag", ["1", "true"])
def test_without_tokens_the_flag_stops_run_with_one_line(tmp_path: Path, flag: str) -> None:
    started = time.monotonic()
    result = run_like_the_image(tmp_path, BOT_REQUIRE_PLATFORM=flag)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr  # 0: restart: on-failure leaves it stopped
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for name in (*TOKEN_SETTINGS, "BOT_SLACK_APP_TOKEN", "BOT_SLACK_SIGNING_SECRET"):
        assert name in lines[0], f"the line should name {name}: {lines[0]}"
    assert result.stdout == ""  # no console banner, no prompt
    assert not (tmp_path / "bot.db").exists()  # it stopped before opening the database
    assert elapsed < 20, f"took {elapsed:.1f}s"


def test_the_line_says_what_slack_still_needs(tmp_path: Path) -> None:
    fake = "xoxb-not-a-real-token"
    result = run_like_the_image(tmp_path, BOT_REQUIRE_PLATFORM="1", **{"BOT_SLACK_BOT_TOKEN": fake})
    assert result.returncode == 0
    line = result.stderr.strip()
    assert "\n" not in line and fake not in line
    assert "BOT_SLACK_APP_TOKEN" in line and "BOT_SLACK_SIGNING_SECRET" in line


def test_without_the_flag_piped_lines_still_get_answers(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update(
        BOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        BOT_DATA_DIR=str(tmp_path / "data"),
        BOT_REQUIRE_PLATFORM="false",
    )
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        input="help\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=True,
    )
    assert "timezone" in result.stdout  # the help reply lists the commands
