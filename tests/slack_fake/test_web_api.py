"""The fake's Web API, through the real slack_sdk AsyncWebClient (as bolt's listeners call it)."""

import json
from collections.abc import AsyncIterator

import aiohttp
import pytest
import pytest_asyncio
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

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


# -- file uploads -----------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def image_block(file_id: str, alt: str | None = "a chart") -> dict[str, object]:
    block: dict[str, object] = {"type": "image", "slack_file": {"id": file_id}}
    if alt is not None:
        block["alt_text"] = alt
    return block


async def test_files_upload_v2_runs_all_three_steps_against_the_fake(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    done = await client.files_upload_v2(filename="chart.png", file=PNG, alt_txt="a chart")
    file_id = done["file"]["id"]
    assert done["files"] == [done["file"]] and done["file"]["title"] == "chart.png"
    [started] = slack.calls_to("files.getUploadURLExternal")
    assert started.args["filename"] == "chart.png" and started.args["length"] == str(len(PNG))
    assert started.response["upload_url"] == slack.upload_url(file_id)
    assert slack.upload_url(file_id).startswith(slack.api_base.removesuffix("api/"))
    [completed] = slack.calls_to("files.completeUploadExternal")
    assert completed.args["files"] == [{"id": file_id, "title": "chart.png"}]
    uploaded = slack.files[file_id]
    assert (uploaded.data, uploaded.alt_txt, uploaded.completed) == (PNG, "a chart", True)
    assert uploaded.channels == [] and not done["file"]["is_public"]  # no channel: private


async def test_a_file_can_be_shared_and_multipart_uploads_work(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    started = await client.files_getUploadURLExternal(filename="notes.txt", length=5)
    form = aiohttp.FormData()
    form.add_field("file", b"notes", filename="notes.txt")
    async with aiohttp.ClientSession() as session, session.post(started["upload_url"], data=form):
        pass
    file_id = started["file_id"]
    assert slack.files[file_id].data == b"notes"
    await client.files_completeUploadExternal(
        files=[{"id": file_id}], channel_id=slack.general_channel_id
    )
    assert slack.files[file_id].channels == [slack.general_channel_id]


async def test_upload_steps_refuse_what_slack_refuses(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    zero = client.files_getUploadURLExternal(filename="a.png", length=0)
    assert await api_error(zero) == "missing_argument"
    wordy = client.files_getUploadURLExternal(filename="a.png", length=1, alt_txt="x" * 1001)
    assert await api_error(wordy) == "alt_txt_too_large"
    started = await client.files_getUploadURLExternal(filename="a.png", length=1)
    never_sent = client.files_completeUploadExternal(files=[{"id": started["file_id"]}])
    assert await api_error(never_sent) == "file_not_found"
    unknown = client.files_completeUploadExternal(files=[{"id": "F9999FAKE"}])
    assert await api_error(unknown) == "file_not_found"
    async with (
        aiohttp.ClientSession() as session,
        session.post(slack.upload_url("F9999FAKE"), data=b"x") as answer,
    ):
        assert answer.status == 404
    assert len(slack.errors) == 1
    slack.errors.clear()  # expected here; the fixture checks the list is empty


async def test_a_failed_upload_post_makes_files_upload_v2_raise(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    slack.fail_next_upload(status=500)
    with pytest.raises(SlackRequestError, match="status: 500"):
        await client.files_upload_v2(filename="a.png", file=PNG)
    assert slack.calls_to("files.completeUploadExternal") == []
    assert await client.files_upload_v2(filename="a.png", file=PNG)  # only the next one failed


async def test_uploads_need_the_files_write_scope() -> None:
    async with FakeSlack(scopes=["chat:write"]) as slack:
        client = AsyncWebClient(token=slack.bot_token, base_url=slack.api_base)
        with pytest.raises(SlackApiError) as raised:
            await client.files_upload_v2(filename="a.png", file=PNG)
        assert raised.value.response["needed"] == "files:write"


async def test_an_image_block_must_show_a_finished_file(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    general = slack.general_channel_id
    unknown = client.chat_postMessage(channel=general, text="x", blocks=[image_block("F0042FAKE")])
    with pytest.raises(SlackApiError) as raised:
        await unknown
    assert raised.value.response["error"] == "invalid_blocks"
    assert raised.value.response["errors"] == [
        "invalid slack file [json-pointer:/blocks/0/slack_file]"
    ]
    file_id = (await client.files_upload_v2(filename="a.png", file=PNG))["file"]["id"]
    no_alt = client.chat_postMessage(channel=general, text="x", blocks=[image_block(file_id, None)])
    assert await api_error(no_alt) == "invalid_blocks"
    await client.chat_postMessage(channel=general, text="x", blocks=[image_block(file_id)])
    await client.chat_postEphemeral(
        channel=general, user=slack.member_user_id, text="x", blocks=[image_block(file_id)]
    )
    assert slack.ephemerals[-1]["blocks"][0]["slack_file"] == {"id": file_id}
    by_url = {"type": "image", "alt_text": "a", "slack_file": {"url": "https://elsewhere/x.png"}}
    assert await api_error(client.chat_postMessage(channel=general, text="x", blocks=[by_url])) == (
        "invalid_blocks"
    )


async def test_a_file_still_processing_is_refused_a_few_times(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    slack.delay_file_processing(refusals=2)
    file_id = (await client.files_upload_v2(filename="a.png", file=PNG))["file"]["id"]
    general = slack.general_channel_id
    for _ in range(2):
        early = client.chat_postMessage(channel=general, text="x", blocks=[image_block(file_id)])
        assert await api_error(early) == "invalid_blocks"
    await client.chat_postMessage(channel=general, text="x", blocks=[image_block(file_id)])


async def test_a_response_url_refuses_an_image_it_cannot_show(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    hook = AsyncWebhookClient(slack.response_url("r"))
    refused = await hook.send(text="x", blocks=[image_block("F0042FAKE")])
    assert (refused.status_code, json.loads(refused.body)["error"]) == (404, "invalid_blocks")
    file_id = (await client.files_upload_v2(filename="a.png", file=PNG))["file"]["id"]
    taken = await hook.send(text="x", blocks=[image_block(file_id)])
    assert taken.status_code == 200
    assert [r.status for r in slack.responses("r", include_refused=True)] == [404, 200]
    assert (await slack.wait_for_response("r")).json["blocks"][0]["slack_file"]["id"] == file_id
