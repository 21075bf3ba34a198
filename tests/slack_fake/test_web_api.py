"""The fake's Web API, through the real slack_sdk AsyncWebClient (as bolt's listeners call it)."""

import json
from collections.abc import AsyncIterator

import aiohttp
import pytest
import pytest_asyncio
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from tests.slack_fake import FakeSlack


@pytest_asyncio.fixture(loop_scope="function")
async def slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as fake:
        yield fake
        assert fake.errors == []


@pytest.fixture
def client(slack: FakeSlack) -> AsyncWebClient:
    return AsyncWebClient(token=slack.bot_token, base_url=slack.api_base)


async def api_error(call: object) -> str:
    """Await a client call that must fail; return Slack's error code."""
    with pytest.raises(SlackApiError) as raised:
        await call  # type: ignore[misc]
    return str(raised.value.response["error"])


@pytest.mark.parametrize(
    ("token", "error"),
    [
        ("xoxb-0001-wrong", "invalid_auth"),
        ("xoxp-0001-user-token", "invalid_auth"),
        (None, "not_authed"),
    ],
)
async def test_only_the_bot_token_is_accepted(
    slack: FakeSlack, token: str | None, error: str
) -> None:
    stranger = AsyncWebClient(token=token, base_url=slack.api_base)
    assert await api_error(stranger.auth_test()) == error
    assert slack.calls[-1].token == token


async def test_token_in_a_form_field_works_and_form_blocks_are_decoded(
    slack: FakeSlack,
) -> None:
    anonymous = AsyncWebClient(base_url=slack.api_base)  # no Authorization header
    form = {"token": slack.bot_token, "channel": slack.general_channel_id, "text": "hi"}
    form["blocks"] = json.dumps([{"type": "divider"}])
    answer = await anonymous.api_call("chat.postMessage", data=form)
    assert answer["ok"] is True
    [call] = slack.calls_to("chat.postMessage")
    assert call.content_type == "application/x-www-form-urlencoded"
    assert call.args["blocks"] == [{"type": "divider"}]
    assert "token" not in call.args


async def test_users_usergroups_and_dm_channels(slack: FakeSlack, client: AsyncWebClient) -> None:
    admin = (await client.users_info(user=slack.admin_user_id))["user"]
    assert (admin["is_admin"], admin["is_owner"], admin["tz"]) == (True, False, "America/New_York")
    owner = (await client.users_info(user=slack.owner_user_id))["user"]
    assert owner["is_owner"] and owner["is_admin"]
    member = (await client.users_info(user=slack.member_user_id))["user"]
    assert not member["is_admin"] and member["real_name"] == "Alice Member"
    assert await api_error(client.users_info(user="U_NOBODY")) == "user_not_found"
    assert slack.calls_to("users.info")[0].http_method == "GET"  # slack_sdk's choice
    mods = await client.usergroups_users_list(usergroup=slack.mods_group_id)
    assert mods["users"] == [slack.moderator_user_id]
    assert await api_error(client.usergroups_users_list(usergroup="S_NONE")) == "no_such_subteam"
    opened = await client.conversations_open(users=slack.member_user_id)
    assert opened["channel"]["id"] == slack.dm_channel_id(slack.member_user_id)


async def test_post_update_react_and_ephemeral(slack: FakeSlack, client: AsyncWebClient) -> None:
    posted = await client.chat_postMessage(channel=slack.general_channel_id, text="v1")
    ts = posted["ts"]
    await client.chat_update(channel=slack.general_channel_id, ts=ts, text="v2")
    assert (slack.messages[-1].text, slack.messages[-1].edits) == ("v2", 1)
    stale = client.chat_update(channel=slack.general_channel_id, ts="1.000001", text="x")
    assert await api_error(stale) == "message_not_found"
    await client.reactions_add(channel=slack.general_channel_id, timestamp=ts, name="tada")
    again = client.reactions_add(channel=slack.general_channel_id, timestamp=ts, name="tada")
    assert await api_error(again) == "already_reacted"
    answer = await client.chat_postEphemeral(
        channel=slack.general_channel_id, user=slack.member_user_id, text="only you"
    )
    assert slack.ephemerals[-1]["message_ts"] == answer["message_ts"]
    assert await api_error(client.chat_postMessage(channel="C_NOPE", text="x")) == (
        "channel_not_found"
    )
    with pytest.warns(UserWarning, match="`text` argument is missing"):  # slack_sdk's own
        assert await api_error(client.chat_postMessage(channel=slack.general_channel_id)) == (
            "no_text"
        )
    # A user id as channel posts to the bot's DM with that user, as on Slack.
    dm = await client.chat_postMessage(channel=slack.member_user_id, text="psst")
    assert dm["channel"] == "D_MEMBER"


async def test_views_publish_and_open(slack: FakeSlack, client: AsyncWebClient) -> None:
    home = {"type": "home", "blocks": [{"type": "divider"}]}
    first = await client.views_publish(user_id=slack.member_user_id, view=home)
    second = await client.views_publish(
        user_id=slack.member_user_id, view=home, hash=first["view"]["hash"]
    )
    assert second["view"]["id"] == first["view"]["id"]
    stale = client.views_publish(user_id=slack.member_user_id, view=home, hash="old")
    assert await api_error(stale) == "hash_conflict"
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "Step"}, "blocks": []}
    await client.views_open(trigger_id="1.T0001.fake-trigger", view=modal)
    assert slack.opened_views[-1]["title"]["text"] == "Step"
    assert await api_error(client.views_open(trigger_id="", view=modal)) == "invalid_arguments"


async def test_unknown_method_is_answered_and_recorded(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    assert await api_error(client.api_call("pins.add", json={"channel": "C1"})) == (
        "unknown_method"
    )
    assert slack.calls[-1].method == "pins.add"
    assert slack.calls[-1].args == {"channel": "C1"}


async def test_answers_are_plain_application_json(slack: FakeSlack) -> None:
    headers = {"Authorization": f"Bearer {slack.bot_token}"}
    async with (
        aiohttp.ClientSession() as session,
        session.post(slack.api_base + "auth.test", headers=headers) as response,
    ):
        assert response.headers["Content-Type"] == "application/json"
        assert (await response.json())["user_id"] == slack.bot_user_id
        assert "chat:write" in response.headers["X-OAuth-Scopes"]


async def test_fail_next_answers_with_retry_after(slack: FakeSlack, client: AsyncWebClient) -> None:
    slack.fail_next("chat.postMessage", retry_after=7)
    with pytest.raises(SlackApiError) as raised:
        await client.chat_postMessage(channel=slack.general_channel_id, text="x")
    response = raised.value.response
    assert (response.status_code, response["error"]) == (429, "ratelimited")
    assert response.headers["Retry-After"] == "7"
    assert slack.calls_to("chat.postMessage") == []
    assert len(slack.calls_to("chat.postMessage", include_failed=True)) == 1
    slack.fail_next("users.info", error="fatal_error", status=500, retry_after=None)
    assert await api_error(client.users_info(user=slack.member_user_id)) == "fatal_error"


async def test_rate_limit_retry_handler_retries_after_a_429(slack: FakeSlack) -> None:
    # retry_after=0 keeps the handler's sleep to its jitter (random, under 1 s).
    slack.fail_next("chat.postMessage", retry_after=0)
    patient = AsyncWebClient(
        token=slack.bot_token,
        base_url=slack.api_base,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=1)],
    )
    answer = await patient.chat_postMessage(channel=slack.general_channel_id, text="x")
    assert answer["ok"] is True
    assert [c.status for c in slack.calls_to("chat.postMessage", include_failed=True)] == [429, 200]


async def test_a_method_outside_the_granted_scopes_is_missing_scope() -> None:
    async with FakeSlack(scopes=["chat:write", "users:read"]) as slack:
        client = AsyncWebClient(token=slack.bot_token, base_url=slack.api_base)
        await client.chat_postMessage(channel=slack.general_channel_id, text="fine")
        refused = client.reactions_add(channel=slack.general_channel_id, timestamp="1.0", name="x")
        with pytest.raises(SlackApiError) as raised:
            await refused
        assert raised.value.response["error"] == "missing_scope"
        assert raised.value.response["needed"] == "reactions:write"


async def test_a_path_the_fake_does_not_serve_is_reported(slack: FakeSlack) -> None:
    async with aiohttp.ClientSession() as session, session.get(slack.response_url("x")) as r:
        assert r.status == 404  # response URLs take POST only
    assert len(slack.errors) == 1
    slack.errors.clear()  # expected here; the fixture checks the list is empty
