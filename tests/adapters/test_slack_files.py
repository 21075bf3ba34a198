"""Images on Slack: the streak heatmap uploaded privately and shown by file id, end to end."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import images
from bot.adapters.slack.notifier import SlackNotifier
from bot.core.messages import Image, Platform, Reply
from bot.core.ports import MemberKey
from tests.adapters.test_slack import Running, bot_on
from tests.slack_fake import FakeSlack, UploadedFile
from tests.slack_fake.web_api import ALL_SCOPES

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _quick_processing_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    # The real waits are seconds long; the fake's "processing" counts refusals, not time.
    monkeypatch.setattr(images, "PROCESSING_WAITS", (0.01, 0.02))


async def streak_reply(running: Running) -> Any:
    """Check in, then ask for the streak; return the streak's response_url body."""
    await running.command("checkin 30")
    body = await running.command("streak", count=2)
    # Both are personal, so App Home is republished after each: let that finish before the
    # test closes the bot under it.
    await running.slack.wait_for_call("views.publish", count=2)
    return body


def image_blocks(body: Any) -> list[dict[str, Any]]:
    return [b for b in body["blocks"] if b["type"] == "image"]


def has_alt_text_context(body: Any) -> bool:
    return any(b["type"] == "context" and "heatmap" in str(b) for b in body["blocks"])


def the_upload(slack: FakeSlack) -> UploadedFile:
    [uploaded] = slack.files.values()
    return uploaded


async def test_the_streak_heatmap_is_uploaded_privately_and_shown_ephemerally(
    tmp_path: Path,
) -> None:
    async with FakeSlack() as slack, bot_on(slack, tmp_path) as running:
        body = await streak_reply(running)
        uploaded = the_upload(slack)
        assert uploaded.data is not None and uploaded.data.startswith(b"\x89PNG")
        assert uploaded.completed and uploaded.channels == []  # shared nowhere
        [completed] = slack.calls_to("files.completeUploadExternal")
        assert "channel_id" not in completed.args and "channels" not in completed.args
        assert body["response_type"] == "ephemeral"
        assert image_blocks(body) == [
            {"type": "image", "slack_file": {"id": uploaded.id}, "alt_text": uploaded.alt_txt}
        ]
        assert uploaded.alt_txt and "heatmap" in uploaded.alt_txt
        assert has_alt_text_context(body)  # the text fallback stays
        assert slack.errors == []


async def test_the_reply_waits_for_slack_to_process_the_file(tmp_path: Path) -> None:
    async with FakeSlack() as slack, bot_on(slack, tmp_path) as running:
        slack.delay_file_processing(refusals=1)
        body = await streak_reply(running)
        assert image_blocks(body)[0]["slack_file"] == {"id": the_upload(slack).id}
        # checkin, then the streak refused once while "processing", then taken.
        statuses = [r.status for r in slack.responses("default", include_refused=True)]
        assert statuses == [200, 404, 200]


async def test_a_file_slack_never_takes_falls_back_to_the_alt_text(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with FakeSlack() as slack, bot_on(slack, tmp_path) as running:
        slack.delay_file_processing(refusals=100)
        with caplog.at_level(logging.WARNING, logger="bot.adapters.slack"):
            body = await streak_reply(running)
        assert image_blocks(body) == [] and has_alt_text_context(body)
        refused = [r for r in slack.responses("default", include_refused=True) if not r.accepted]
        assert len(refused) == 1 + len(images.PROCESSING_WAITS)
        assert "did not take image" in caplog.text


async def test_a_failed_upload_still_delivers_the_reply_with_its_alt_text(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with FakeSlack() as slack, bot_on(slack, tmp_path) as running:
        slack.fail_next_upload(status=500)
        with caplog.at_level(logging.WARNING, logger="bot.adapters.slack"):
            body = await streak_reply(running)
        assert body["response_type"] == "ephemeral"
        assert image_blocks(body) == [] and has_alt_text_context(body)
        assert slack.calls_to("files.completeUploadExternal") == []
        [warning] = [r for r in caplog.records if r.name == "bot.adapters.slack.images"]
        assert warning.levelno == logging.WARNING and warning.exc_info is None  # no traceback
        assert "upload failed" in warning.getMessage()


async def test_without_the_files_write_scope_the_reply_has_its_alt_text(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # An app installed before files:write was added to the manifest.
    async with (
        FakeSlack(scopes=ALL_SCOPES - {"files:write"}) as slack,
        bot_on(slack, tmp_path) as running,
    ):
        with caplog.at_level(logging.WARNING, logger="bot.adapters.slack"):
            body = await streak_reply(running)
        assert image_blocks(body) == [] and has_alt_text_context(body)
        assert "missing_scope" in caplog.text


async def test_a_mention_shows_the_image_in_its_thread(tmp_path: Path) -> None:
    async with FakeSlack() as slack, bot_on(slack, tmp_path) as running:
        slack.delay_file_processing(refusals=1)  # chat.postMessage refuses, then takes it
        await running.sender.app_mention("streak", ts="1700000000.000100")
        posted = await slack.wait_for_call("chat.postMessage", lambda c: c.ok)
        assert posted.args["thread_ts"] == "1700000000.000100"
        assert image_blocks(posted.args)[0]["slack_file"] == {"id": the_upload(slack).id}
        assert [c.response["ok"] for c in slack.calls_to("chat.postMessage")] == [False, True]


async def test_the_notifier_delivers_images_too() -> None:
    reply = Reply(text="Your week", image=Image("week.png", PNG, "Minutes per day"))
    async with FakeSlack() as slack:
        notifier = SlackNotifier(AsyncWebClient(token=slack.bot_token, base_url=slack.api_base))
        await notifier.post("T0001", "C_GENERAL", reply)
        await notifier.direct(MemberKey(Platform.SLACK, "T0001:U_MEMBER"), reply)
        posts = slack.calls_to("chat.postMessage")
        assert [p.args["channel"] for p in posts] == ["C_GENERAL", "D_MEMBER"]
        for post, uploaded in zip(posts, slack.files.values(), strict=True):
            assert uploaded.data == PNG and uploaded.channels == []
            assert image_blocks(post.args) == [
                {"type": "image", "slack_file": {"id": uploaded.id}, "alt_text": "Minutes per day"}
            ]
        slack.fail_next_upload()
        await notifier.post("T0001", "C_GENERAL", reply)
        last = slack.calls_to("chat.postMessage")[-1]
        assert image_blocks(last.args) == [] and "Minutes per day" in str(last.args["blocks"])
