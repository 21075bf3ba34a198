"""A platform that cannot log in: one line, the others keep serving, exit 1 when none is left."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import discord
import pytest

from bot.adapters.discord.failures import OneLineReconnects
from bot.config import load_settings
from bot.core.messages import Incoming, Platform, Reply
from bot.platform_setup import discord_adapter, publishers_of, reach_of
from tests.adapters.test_slack import free_port, wait_for_port
from tests.discord_fake import FakeDiscord, make_client_overrides
from tests.slack_fake import FakeSlack

# Well-formed (application id . timestamp . signature) but not the one the fake accepts.
BAD_TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAw.GaBcDe." + "not-the-real-signature-" * 2
MAX_STDERR_LINES = 5


def bot_environment(tmp_path: Path, **settings: str) -> dict[str, str]:
    """Return the environment for `roadmap-bot run`: only the given BOT_ settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    return env | {
        "BOT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "BOT_DATA_DIR": str(tmp_path / "data"),
        **{f"BOT_{name.upper()}": value for name, value in settings.items()},
    }


@asynccontextmanager
async def roadmap_bot_run(
    tmp_path: Path, env: dict[str, str], *args: str
) -> AsyncIterator[asyncio.subprocess.Process]:
    """Start `roadmap-bot run` as a process; kill it if the test leaves it running."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", *args,
        env=env, cwd=tmp_path,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def test_slack_keeps_serving_after_discord_refuses_the_token(tmp_path: Path) -> None:
    port = free_port()
    async with FakeDiscord() as discord_fake, FakeSlack() as slack:
        env = bot_environment(
            tmp_path,
            discord_token=BAD_TOKEN,
            discord_api_base=discord_fake.rest_base,
            discord_gateway_url=str(discord_fake.gateway_url),
            slack_bot_token=slack.bot_token,
            slack_signing_secret=slack.signing_secret,
            slack_api_base=slack.api_base,
            slack_mode="http",
            slack_host="127.0.0.1",
            slack_port=str(port),
        )
        async with roadmap_bot_run(tmp_path, env, "--log-json") as process:
            assert process.stderr is not None
            seen: list[dict[str, object]] = []
            while not any(r["level"] == "ERROR" for r in seen):  # Discord's failure, logged
                line = await asyncio.wait_for(process.stderr.readline(), 30)
                assert line, "the bot exited; stderr so far: " + json.dumps(seen)[-2000:]
                seen.append(json.loads(line))
            await wait_for_port(port)
            endpoint = f"http://127.0.0.1:{port}/slack/events"
            async with slack.signed_requests(endpoint) as sender:
                status, _ = await sender.slash_command("/roadmap", "timezone Asia/Tokyo")
                assert status == 200
                answer = (await slack.wait_for_response("default", timeout=10)).json
            assert "Asia/Tokyo" in json.dumps(answer)
            process.send_signal(signal.SIGTERM)
            _, rest = await asyncio.wait_for(process.communicate(), 30)
    stderr = b"".join(json.dumps(r).encode() + b"\n" for r in seen).decode() + rest.decode()
    records = [json.loads(line) for line in stderr.splitlines()]  # every line is a log record
    assert process.returncode == 0, stderr[-2000:]
    errors = [r for r in records if r["level"] in ("ERROR", "CRITICAL")]
    assert len(errors) == 1 and "Discord" in errors[0]["message"]
    assert "Slack" in errors[0]["message"]  # names what is still serving
    assert not any("exception" in r for r in records)
    assert "Traceback" not in stderr and BAD_TOKEN not in stderr
    assert discord_fake.requests_matching("GET", "/users/@me")[0].status == 401


@pytest.mark.parametrize("discord_is", ["refusing the token", "unreachable"])
async def test_discord_alone_failing_exits_1_with_one_line(tmp_path: Path, discord_is: str) -> None:
    async with FakeDiscord() as discord_fake:
        api_base = discord_fake.rest_base
        if discord_is == "unreachable":
            api_base = f"http://127.0.0.1:{free_port()}/api/v10"  # nothing listens there
        env = bot_environment(
            tmp_path,
            discord_token=BAD_TOKEN,
            discord_api_base=api_base,
            discord_gateway_url=str(discord_fake.gateway_url),
        )
        async with roadmap_bot_run(tmp_path, env) as process:
            _, err = await asyncio.wait_for(process.communicate(), 60)
    stderr = err.decode()
    lines = stderr.splitlines()
    assert process.returncode == 1, stderr[-2000:]
    assert len(lines) <= MAX_STDERR_LINES, stderr
    assert "Traceback" not in stderr and BAD_TOKEN not in stderr
    assert lines[-1].startswith("roadmap-bot: Discord")  # the one line that says why
    assert not any(" ERROR " in line or " WARNING " in line for line in lines[:-1]), stderr


async def test_a_platform_that_failed_leaves_reach_so_no_reminder_waits_on_it(
    tmp_path: Path,
) -> None:
    """In-process: run() fails with a reason to show, and Discord's notifier is withdrawn."""
    settings = load_settings(data_dir=tmp_path, discord_token=BAD_TOKEN)
    async with FakeDiscord() as discord_fake:
        with make_client_overrides(discord_fake):
            settings = settings.model_copy(update={"discord_api_base": discord_fake.rest_base})
            adapter = discord_adapter(settings)
            reach, publishers = reach_of([adapter]), publishers_of([adapter])
            assert set(reach.notifiers) == set(reach.granters) == {Platform.DISCORD}
            assert set(publishers) == {Platform.DISCORD}
            with pytest.raises(discord.LoginFailure) as failed:
                await adapter.run(_no_answer, {})
            await adapter.close()
    reason = adapter.explain(failed.value)
    assert reason is not None and "BOT_DISCORD_TOKEN" in reason and BAD_TOKEN not in reason
    assert adapter.client.is_closed()
    assert len(reach.notifiers) == len(reach.granters) == 0
    assert reach.notifiers.get(Platform.DISCORD) is None
    assert len(publishers) == 0  # its channels' prompts wait for a process that serves Discord


async def _no_answer(incoming: Incoming) -> Reply | None:
    return None


def test_discord_s_reconnect_traceback_becomes_one_warning() -> None:
    try:
        raise aiohttp.ClientConnectionError("Cannot connect to host gateway.discord.gg:443")
    except aiohttp.ClientConnectionError:
        record = logging.LogRecord(
            "discord.client", logging.ERROR, __file__, 1,
            "Attempting a reconnect in %.2fs", (1.5,), sys.exc_info(),
        )  # fmt: skip
    assert OneLineReconnects().filter(record)
    assert record.levelno == logging.WARNING and record.exc_info is None
    text = record.getMessage()
    assert "gateway.discord.gg" in text and "1.50" in text and "\n" not in text
