"""The Slack HTTP listener refuses unsigned and oversized requests before parsing or logging."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio

from bot.adapters.slack.http import MAX_BODY_BYTES
from tests.adapters.test_slack import Running, bot_on
from tests.slack_fake import FakeSlack, slack_signature

MARKER = "SECRET-BODY-MARKER"  # put in every refused body; no log line may ever contain it


@pytest_asyncio.fixture(loop_scope="function")
async def running(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> AsyncIterator[Running]:
    # Everything is captured, debug included, from before the bot and bolt are built.
    caplog.set_level(logging.DEBUG)
    async with FakeSlack() as slack, bot_on(slack, tmp_path) as running:
        yield running


async def post(
    running: Running, body: bytes, headers: dict[str, str], *, chunked: bool = False
) -> tuple[int, str]:
    """POST raw bytes to the bot's Slack endpoint; return (status, response text)."""

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 64 * 1024):
            yield body[start : start + 64 * 1024]

    async with (
        aiohttp.ClientSession() as session,
        session.post(
            running.sender.endpoint_url, data=chunks() if chunked else body, headers=headers
        ) as response,
    ):
        return response.status, await response.text()


def signed(running: Running, body: bytes, content_type: str) -> dict[str, str]:
    timestamp = str(int(time.time()))
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": slack_signature(
            running.slack.signing_secret, timestamp, body.decode()
        ),
    }


def assert_clean_logs(caplog: pytest.LogCaptureFixture) -> None:
    """No traceback was logged, and no record carries the refused body."""
    for record in caplog.records:
        assert record.exc_info is None, record.getMessage()
        assert MARKER not in record.getMessage(), record.name
        assert MARKER not in str(record.args), record.name


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Slack-Request-Timestamp": "1", "X-Slack-Signature": "v0=00"},
        {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=00"},
        {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=é"},
    ],
    ids=["unsigned", "bad-signature", "bad-timestamp", "non-ascii-signature"],
)
async def test_unsigned_malformed_json_gets_401_without_a_traceback(
    running: Running, caplog: pytest.LogCaptureFixture, headers: dict[str, str]
) -> None:
    body = b'{"type": "event_callback", "event": {"text": "' + MARKER.encode()  # cut short
    status, _ = await post(running, body, {"Content-Type": "application/json", **headers})
    assert status == 401
    assert running.slack.calls == [] and running.slack.responses("default") == []
    assert_clean_logs(caplog)


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
@pytest.mark.parametrize("signed_body", [False, True], ids=["unsigned", "signed"])
async def test_an_oversized_body_gets_413_and_is_never_logged(
    running: Running, caplog: pytest.LogCaptureFixture, chunked: bool, signed_body: bool
) -> None:
    text = "command=%2Froadmap&text=" + (MARKER + "x") * (900_000 // (len(MARKER) + 1))
    body = text.encode()
    assert len(body) > MAX_BODY_BYTES
    form = "application/x-www-form-urlencoded"
    headers = signed(running, body, form) if signed_body else {"Content-Type": form}
    status, answer = await post(running, body, headers, chunked=chunked)
    assert status == 413 and MARKER not in answer
    assert running.slack.responses("default") == []
    assert_clean_logs(caplog)


async def test_signed_malformed_json_gets_400_without_a_traceback(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    body = ('{"type": "event_callback", "event": "' + MARKER).encode()
    status, _ = await post(running, body, signed(running, body, "application/json"))
    assert status == 400
    assert_clean_logs(caplog)


async def test_a_signed_request_is_still_answered(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    body = await running.command("about")
    assert body["blocks"] and body["response_type"] == "in_channel"
    await running.sender.app_mention("what is git?")
    posted = await running.slack.wait_for_call("chat.postMessage")
    assert "git" in posted.args["text"].lower()
    status, answer = await running.sender.url_verification("challenge-42")
    assert status == 200 and "challenge-42" in str(answer)
    assert_clean_logs(caplog)
