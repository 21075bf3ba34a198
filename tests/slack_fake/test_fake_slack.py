"""The fake Slack, proven against the real slack-bolt 1.30 AsyncApp served over HTTP."""

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from slack_bolt.async_app import AsyncApp
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from tests.slack_fake import (
    STALE_AGE,
    FakeSlack,
    SlackRequests,
    Tampering,
    serve_bolt,
    slack_signature,
)
from tests.slack_fake.harness import BLOCKS, TIMEOUT, BoltHarness


@pytest_asyncio.fixture(loop_scope="function")
async def slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as fake:
        yield fake
        assert fake.errors == []


@pytest_asyncio.fixture(loop_scope="function")
async def bot(slack: FakeSlack) -> BoltHarness:
    return BoltHarness(slack.bot_token, slack.api_base, slack.signing_secret)


@pytest_asyncio.fixture(loop_scope="function")
async def sender(slack: FakeSlack, bot: BoltHarness) -> AsyncIterator[SlackRequests]:
    async with serve_bolt(bot.app) as endpoint, slack.signed_requests(endpoint) as signed:
        yield signed


def test_signature_is_the_one_slack_sdk_verifies() -> None:
    body, timestamp = '{"type":"url_verification"}', str(int(time.time()))
    signature = slack_signature("secret", timestamp, body)
    assert SignatureVerifier("secret").is_valid(body, timestamp, signature)
    assert not SignatureVerifier("other").is_valid(body, timestamp, signature)


async def test_first_request_runs_auth_test_once(
    slack: FakeSlack, bot: BoltHarness, sender: SlackRequests
) -> None:
    assert slack.calls == []  # building and serving the app calls nothing
    await sender.slash_command(text="one")
    await sender.slash_command(text="two")
    await bot.next_seen()
    await bot.next_seen()
    [auth] = slack.calls_to("auth.test")
    assert auth.token == slack.bot_token
    assert slack.calls[0] is auth
    # Bolt's per-request client carries team_id, which slack_sdk adds to every call.
    assert auth.args == {"team_id": slack.team_id}


async def test_slash_command_acks_at_once_and_respond_posts_to_response_url(
    slack: FakeSlack, bot: BoltHarness, sender: SlackRequests
) -> None:
    reply = await sender.slash_command("/roadmap", "next", user_id=slack.admin_user_id)
    assert (reply.status, reply.body, reply.content_type) == (200, "", "text/plain")
    assert reply.elapsed < 1.0
    posted = await slack.wait_for_response("default", TIMEOUT)
    assert posted.content_type == "application/json"
    assert posted.json == {"text": "you asked: next", "response_type": "ephemeral"}
    seen = await bot.next_seen()
    assert seen.body["user_id"] == slack.admin_user_id
    assert seen.body["channel_id"] == slack.general_channel_id
    assert seen.body["channel_name"] == "general"
    assert seen.body["team_id"] == slack.team_id
    assert seen.body["response_url"] == slack.response_url("default")
    assert seen.body["trigger_id"]


@pytest.mark.parametrize(
    ("text", "body", "content_type"),
    [
        ("ack-text", "working on it", "text/plain"),
        ("ack-blocks", {"text": "step", "blocks": BLOCKS}, "application/json"),
    ],
)
async def test_ack_with_content_is_the_http_answer(
    bot: BoltHarness, sender: SlackRequests, text: str, body: object, content_type: str
) -> None:
    reply = await sender.slash_command(text=text)
    status, answer = reply  # an HttpReply unpacks as (status, body)
    assert (status, answer, reply.content_type) == (200, body, content_type)
    await bot.next_seen()


async def test_app_mention_reply_lands_in_the_thread(
    slack: FakeSlack, bot: BoltHarness, sender: SlackRequests
) -> None:
    reply = await sender.app_mention("what next?", channel=slack.roadmap_channel_id)
    assert (reply.status, reply.body) == (200, "")  # events are acked by bolt itself
    event = reply.sent["event"]
    assert event["text"] == f"<@{slack.bot_user_id}> what next?"
    call = await slack.wait_for_call("chat.postMessage", timeout=TIMEOUT)
    assert call.token == slack.bot_token
    assert call.args["channel"] == slack.roadmap_channel_id
    assert call.args["thread_ts"] == event["ts"]
    assert slack.messages[-1].thread_ts == event["ts"]
    assert call.response["ts"] == slack.messages[-1].ts
    assert (await bot.next_seen()).listener == "app_mention"


async def test_direct_message_answer_goes_to_the_dm_channel(
    slack: FakeSlack, bot: BoltHarness, sender: SlackRequests
) -> None:
    await sender.direct_message("hello bot")
    seen = await bot.next_seen()
    assert seen.body["event"]["channel_type"] == "im"
    [call] = slack.calls_to("chat.postMessage")
    assert call.args["channel"] == slack.dm_channel_id(slack.member_user_id) == "D_MEMBER"


async def test_app_home_opened_publishes_a_home_view(
    slack: FakeSlack, bot: BoltHarness, sender: SlackRequests
) -> None:
    await sender.app_home_opened(slack.member_user_id)
    await bot.next_seen()
    view = slack.home_views[slack.member_user_id]
    assert view["type"] == "home" and view["blocks"] == BLOCKS
    assert slack.calls_to("views.publish")[0].response["view"]["id"] == view["id"]


async def test_block_action_acks_and_responds(
    slack: FakeSlack, bot: BoltHarness, sender: SlackRequests
) -> None:
    url = slack.response_url("click")
    reply = await sender.block_action("step:done", "sql-1", response_url=url)
    assert (reply.status, reply.body) == (200, "")
    posted = await slack.wait_for_response("click", TIMEOUT)
    assert posted.json == {"text": "marked done", "replace_original": True}
    seen = await bot.next_seen()
    assert seen.body["type"] == "block_actions"
    assert seen.body["actions"][0]["value"] == "sql-1"
    assert seen.body["user"]["id"] == slack.member_user_id


async def test_url_verification_echoes_the_challenge(
    slack: FakeSlack, sender: SlackRequests
) -> None:
    reply = await sender.url_verification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
    assert reply.status == 200
    assert reply.body == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}
    assert slack.calls == []  # no authorization, hence no auth.test, for this check


@pytest.mark.parametrize("tamper", [{"bad_signature": True}, {"age": STALE_AGE}])
async def test_unsigned_or_stale_requests_get_401(
    slack: FakeSlack, bot: BoltHarness, sender: SlackRequests, tamper: Tampering
) -> None:
    reply = await sender.slash_command(text="next", **tamper)
    assert (reply.status, reply.body) == (401, {"error": "invalid request"})
    reply = await sender.app_mention("hi", **tamper)
    assert reply.status == 401
    # Verification runs before authorization and before any listener is even scheduled.
    assert slack.calls == []
    assert bot.reached == []


async def test_a_retried_event_reaches_the_listener_again(
    slack: FakeSlack, bot: BoltHarness, sender: SlackRequests
) -> None:
    first = await sender.app_mention("hello")
    again = await sender.event(
        first.sent["event"], event_id=first.sent["event_id"], retry_num=1, retry_reason="timeout"
    )
    assert again.status == 200
    seen = [await bot.next_seen(), await bot.next_seen()]
    # Bolt does not de-duplicate in HTTP mode: the app must, by event_id.
    assert {s.body["event_id"] for s in seen} == {first.sent["event_id"]}
    assert sorted((s.retry_num, s.retry_reason) for s in seen if s.retry_num) == [("1", "timeout")]
    assert len(slack.calls_to("chat.postMessage")) == 2


async def test_bolt_ignores_events_from_its_own_bot_user(
    slack: FakeSlack, bot: BoltHarness, sender: SlackRequests
) -> None:
    own = await sender.app_mention("echo", user=slack.bot_user_id)
    assert own.status == 200  # acked all the same, so Slack does not retry it
    await sender.app_mention("from a person")
    seen = await bot.next_seen()
    assert seen.body["event"]["user"] == slack.member_user_id
    assert [body["event"]["user"] for body in bot.reached] == [slack.member_user_id]


async def test_a_wrong_token_fails_auth_test_and_bolt_answers_with_a_warning(
    slack: FakeSlack,
) -> None:
    harness = BoltHarness("xoxb-not-the-right-one", slack.api_base, slack.signing_secret)
    async with serve_bolt(harness.app) as endpoint, slack.signed_requests(endpoint) as sender:
        reply = await sender.slash_command(text="next")
    # Bolt shows the user a text (HTTP 200, so Slack displays it) and runs no listener.
    assert reply.status == 200
    assert "no longer available" in reply.body
    [auth] = slack.calls_to("auth.test")
    assert auth.response == {"ok": False, "error": "invalid_auth"}
    assert harness.reached == []
    assert slack.responses("default") == []


async def test_bolt_served_on_a_custom_path(slack: FakeSlack) -> None:
    app = AsyncApp(
        client=AsyncWebClient(token=slack.bot_token, base_url=slack.api_base),
        signing_secret=slack.signing_secret,
    )
    handled = asyncio.Event()

    @app.event("app_mention")
    async def mention() -> None:
        handled.set()

    async with serve_bolt(app, "/hooks/slack") as endpoint:
        assert endpoint.endswith("/hooks/slack")
        async with slack.signed_requests(endpoint) as sender:
            await sender.app_mention("hi")
        await asyncio.wait_for(handled.wait(), TIMEOUT)
