"""The fake Discord, proven against the real discord.py 2.7 Client and app-command tree."""

import asyncio
import io
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord
import discord.utils
import pytest
import pytest_asyncio

from tests.discord_fake import FakeDiscord, make_client_overrides, running_client
from tests.discord_fake.entities import ADMINISTRATOR, BOT_ROLE_PERMISSIONS, MANAGE_ROLES
from tests.discord_fake.harness import TIMEOUT, DoneView, Harness, tiny_png
from tests.discord_fake.limits import check_modal


@pytest.fixture(params=["json", "zlib-stream"])
def gateway_mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest_asyncio.fixture(loop_scope="function")
async def discord_fake(gateway_mode: str) -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(gateway_compression=gateway_mode == "zlib-stream") as fake:
        with make_client_overrides(fake):
            yield fake
        assert fake.errors == []


@pytest_asyncio.fixture(loop_scope="function")
async def bot(discord_fake: FakeDiscord) -> AsyncIterator[Harness]:
    harness = Harness()
    async with running_client(harness.client, discord_fake.token, timeout=TIMEOUT):
        yield harness


async def test_login_ready_and_guild_create_reach_the_client(
    discord_fake: FakeDiscord, bot: Harness, gateway_mode: str
) -> None:
    client = bot.client
    await asyncio.wait_for(bot.ready.wait(), TIMEOUT)  # on_ready runs as its own task
    assert client.user is not None and client.user.id == int(discord_fake.bot_user["id"])
    assert client.application_id == discord_fake.application_id
    guild = client.get_guild(discord_fake.guild_id)
    assert guild is not None and guild.name == "Backend Roadmap"
    assert {c.name for c in guild.text_channels} == {"general", "roadmap"}
    assert client.get_channel(discord_fake.channel_id) is not None
    assert guild.default_role.id == discord_fake.guild_id
    moderator = guild.get_member(int(discord_fake.moderator_user["id"]))
    assert moderator is not None
    assert [r.name for r in moderator.roles] == ["@everyone", "Moderator"]
    identify = await discord_fake.wait_until_identified(TIMEOUT)
    assert identify["intents"] == discord_fake.intents == client.intents.value
    assert identify["token"] == discord_fake.token
    connection = discord_fake.gateway_connections[-1]
    assert connection.compress_requested == "zlib-stream"  # discord.py without zstandard
    assert connection.compression == (None if gateway_mode == "json" else "zlib-stream")
    assert [r.path for r in discord_fake.requests] == ["/users/@me", "/oauth2/applications/@me"]


async def test_slash_command_reply_is_a_type_4_callback(
    discord_fake: FakeDiscord, bot: Harness
) -> None:
    sent = await discord_fake.send_interaction("ping")
    callback = await discord_fake.wait_for_interaction_response(sent, TIMEOUT)
    assert callback.status == 200
    assert callback.query == {"with_response": "1"}
    assert callback.json["type"] == 4
    assert callback.json["data"]["content"] == "pong"
    assert not callback.json["data"].get("flags")


async def test_ephemeral_reply_has_flag_64(discord_fake: FakeDiscord, bot: Harness) -> None:
    sent = await discord_fake.send_interaction("secret")
    callback = await discord_fake.wait_for_interaction_response(sent, TIMEOUT)
    assert callback.json["data"]["flags"] == 64
    assert callback.response["interaction"]["response_message_ephemeral"] is True


async def test_defer_then_followup_arrives_as_a_webhook_post(
    discord_fake: FakeDiscord, bot: Harness
) -> None:
    sent = await discord_fake.send_interaction("slow")
    callback = await discord_fake.wait_for_interaction_response(sent, TIMEOUT)
    assert callback.json["type"] == 5
    followup = await discord_fake.wait_for_followup(sent, TIMEOUT)
    assert followup.query["wait"] == "1"
    assert followup.json["content"] == "done thinking"
    # As on Discord, the first follow-up fills the "thinking..." message.
    assert followup.response["id"] == callback.response["resource"]["message"]["id"]


async def test_autocomplete_answers_type_8_with_choices(
    discord_fake: FakeDiscord, bot: Harness
) -> None:
    sent = await discord_fake.send_interaction("search", {"topic": "sql"}, type=4, focused="topic")
    callback = await discord_fake.wait_for_interaction_response(sent, TIMEOUT)
    assert callback.json["type"] == 8
    choices = callback.json["data"]["choices"]
    assert [c["value"] for c in choices] == ["SQL basics", "SQL joins"]


async def test_subcommand_with_member_option(discord_fake: FakeDiscord, bot: Harness) -> None:
    alice = discord_fake.member_user
    sent = await discord_fake.send_interaction(
        "roadmap", {"member": alice, "step": 3}, subcommand="assign"
    )
    callback = await discord_fake.wait_for_interaction_response(sent, TIMEOUT)
    assert callback.json["data"]["content"] == f"<@{alice['id']}> gets step 3"


async def test_rate_limited_send_is_retried_once(discord_fake: FakeDiscord, bot: Harness) -> None:
    path = rf"/channels/{discord_fake.channel_id}/messages"
    discord_fake.rate_limit_next("POST", path, times=1, retry_after=0.05)
    channel = bot.client.get_channel(discord_fake.channel_id)
    assert isinstance(channel, discord.TextChannel)
    message = await asyncio.wait_for(channel.send("after the limit"), TIMEOUT)
    assert message.content == "after the limit"
    attempts = discord_fake.requests_matching("POST", path, include_rate_limited=True)
    assert [(r.status, r.rate_limited) for r in attempts] == [(429, True), (200, False)]
    assert attempts[1].received_at - attempts[0].received_at >= 0.05
    (success,) = discord_fake.requests_matching("POST", path)
    assert success.json["content"] == "after the limit"


async def test_message_create_reaches_on_message(discord_fake: FakeDiscord, bot: Harness) -> None:
    await discord_fake.send_message("hello roadmap", author=discord_fake.moderator_user)
    message = await bot.next_message()
    assert message.content == "hello roadmap"
    assert message.guild is not None and message.guild.id == discord_fake.guild_id
    assert isinstance(message.author, discord.Member)
    assert discord_fake.moderator_role_id in [r.id for r in message.author.roles]

    await discord_fake.send_message("psst", dm=True)
    dm = await bot.next_message()
    assert dm.content == "psst" and dm.guild is None
    assert isinstance(dm.channel, discord.DMChannel)


async def test_file_upload_is_recorded_with_its_name(
    discord_fake: FakeDiscord, bot: Harness
) -> None:
    png = tiny_png()
    channel = bot.client.get_channel(discord_fake.channel_id)
    assert isinstance(channel, discord.TextChannel)
    embed = discord.Embed(title="Progress").set_image(url="attachment://chart.png")
    sent = await asyncio.wait_for(
        channel.send(embed=embed, file=discord.File(io.BytesIO(png), "chart.png")), TIMEOUT
    )
    request = discord_fake.requests_matching("POST", rf"/channels/{channel.id}/messages")[-1]
    assert request.json["embeds"][0]["image"]["url"] == "attachment://chart.png"
    (file,) = request.files
    assert (file.filename, file.size) == ("chart.png", len(png))
    assert file.data.startswith(b"\x89PNG")
    assert [a.filename for a in sent.attachments] == ["chart.png"]
    # Discord sends the bot its own message back; the harness can see it.
    echoed = await bot.next_message(from_bot=True)
    assert echoed.id == sent.id


async def test_button_click_edits_the_message(discord_fake: FakeDiscord, bot: Harness) -> None:
    channel = bot.client.get_channel(discord_fake.channel_id)
    assert isinstance(channel, discord.TextChannel)
    sent = await asyncio.wait_for(channel.send("step 1", view=DoneView()), TIMEOUT)
    click = await discord_fake.send_interaction(type=3, custom_id="step:done")
    assert click.payload["message"]["id"] == str(sent.id)
    callback = await discord_fake.wait_for_interaction_response(click, TIMEOUT)
    assert callback.json["type"] == 7
    assert callback.json["data"]["content"] == "clicked"
    stored = next(m for m in discord_fake.messages if m["id"] == str(sent.id))
    assert stored["content"] == "clicked" and stored["components"] == []


async def test_a_resent_interaction_cannot_be_answered_twice(
    discord_fake: FakeDiscord, bot: Harness
) -> None:
    first = await discord_fake.send_interaction("ping")
    await discord_fake.wait_for_interaction_response(first, TIMEOUT)
    again = await discord_fake.send_interaction("ping", interaction_id=first.id)
    assert (again.id, again.token) == (first.id, first.token)
    calls = await discord_fake.wait_for_requests("POST", first.callback_path, TIMEOUT, count=2)
    assert [c.status for c in calls] == [200, 400]
    error = await asyncio.wait_for(bot.errors.get(), TIMEOUT)
    assert isinstance(error.__cause__, discord.HTTPException)
    assert error.__cause__.code == 40060


async def test_reconnect_resumes_the_session(discord_fake: FakeDiscord, bot: Harness) -> None:
    await discord_fake.reconnect(TIMEOUT)
    await asyncio.wait_for(bot.resumed.wait(), TIMEOUT)
    assert [p["op"] for p in discord_fake.gateway.received if p["op"] in (2, 6)] == [2, 6]
    assert len(discord_fake.gateway_connections) == 2
    assert len(discord_fake.identify_payloads) == 1
    await discord_fake.send_message("still here")
    assert (await bot.next_message()).content == "still here"


async def test_invalid_session_makes_the_client_identify_again(
    discord_fake: FakeDiscord, bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def identify_at_once(_shard_id: int | None, *, initial: bool = False) -> None:
        """Skip the 5 s discord.py waits before a re-IDENTIFY (Discord's identify limit)."""

    monkeypatch.setattr(bot.client, "before_identify_hook", identify_at_once)
    await discord_fake.invalidate_session(resumable=False, timeout=TIMEOUT)
    assert len(discord_fake.identify_payloads) == 2
    await discord_fake.send_message("new session")
    assert (await bot.next_message()).content == "new session"


async def test_tree_sync_stores_commands_and_interactions_use_their_ids(
    discord_fake: FakeDiscord, bot: Harness
) -> None:
    guild = discord.Object(discord_fake.guild_id)
    bot.tree.copy_global_to(guild=guild)
    synced = await asyncio.wait_for(bot.tree.sync(guild=guild), TIMEOUT)
    assert {c.name for c in synced} == {"ping", "secret", "slow", "search", "roadmap"}
    sent = await discord_fake.send_interaction("ping")
    ping_id = next(c.id for c in synced if c.name == "ping")
    assert sent.payload["data"]["id"] == str(ping_id)
    callback = await discord_fake.wait_for_interaction_response(sent, TIMEOUT)
    assert callback.json["data"]["content"] == "pong"


async def test_role_change_and_dm(discord_fake: FakeDiscord, bot: Harness) -> None:
    guild = bot.client.get_guild(discord_fake.guild_id)
    assert guild is not None
    alice = guild.get_member(int(discord_fake.member_user["id"]))
    learner = guild.get_role(discord_fake.learner_role_id)
    assert alice is not None and learner is not None
    # discord.py's cache follows the GUILD_MEMBER_UPDATE that Discord (and the fake) dispatches,
    # which may arrive just before or just after the REST answer: wait for the event.
    updated = asyncio.ensure_future(
        bot.client.wait_for("member_update", check=lambda _b, a: a.id == alice.id, timeout=TIMEOUT)
    )
    await asyncio.wait_for(alice.add_roles(learner), TIMEOUT)
    path = rf"/guilds/{guild.id}/members/{alice.id}/roles/{learner.id}"
    assert discord_fake.requests_matching("PUT", path)[0].status == 204
    _before, after = await updated
    assert learner in after.roles

    dm = await asyncio.wait_for(alice.send("welcome"), TIMEOUT)
    assert isinstance(dm.channel, discord.DMChannel)
    assert discord_fake.requests_matching("POST", r"/users/@me/channels")[0].json == {
        "recipient_id": alice.id
    }


async def test_unknown_endpoint_is_a_recorded_404(discord_fake: FakeDiscord, bot: Harness) -> None:
    with pytest.raises(discord.NotFound):
        await bot.client.http.request(discord.http.Route("GET", "/no/such/endpoint"))
    assert discord_fake.requests[-1].status == 404
    assert discord_fake.requests[-1].path == "/no/such/endpoint"


async def test_without_message_content_intent_the_content_is_blank(
    discord_fake: FakeDiscord,
) -> None:
    harness = Harness(discord.Intents.default())  # no MESSAGE_CONTENT
    async with running_client(harness.client, discord_fake.token, timeout=TIMEOUT):
        await discord_fake.send_message("secret plans")
        assert (await harness.next_message()).content == ""
        bot_id = discord_fake.bot_user["id"]
        mention = f"<@{bot_id}> help"
        await discord_fake.send_message(mention, mentions=[discord_fake.bot_user])
        assert (await harness.next_message()).content == mention


async def test_a_wrong_token_fails_login(discord_fake: FakeDiscord) -> None:
    client = discord.Client(intents=discord.Intents.default())
    with pytest.raises(discord.LoginFailure):
        await client.login("not-the-token")
    await client.close()
    assert discord_fake.requests[-1].status == 401


async def test_zstd_request_falls_back_to_text_frames(
    discord_fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    class ZstdContext:
        """Stands in for discord.py's zstd decompressor: the fake must never need it."""

        COMPRESSION_TYPE = "zstd-stream"

        def decompress(self, data: bytes, /) -> str | None:
            raise AssertionError("the fake sent a binary frame to a zstd client")

    monkeypatch.setattr(discord.utils, "_ActiveDecompressionContext", ZstdContext)
    harness = Harness()
    async with running_client(harness.client, discord_fake.token, timeout=TIMEOUT):
        connection = discord_fake.gateway_connections[-1]
        assert connection.compress_requested == "zstd-stream"
        assert connection.compression is None
        await discord_fake.send_message("plain text frames")
        assert (await harness.next_message()).content == "plain text frames"


async def test_discord_limits_are_enforced(discord_fake: FakeDiscord, bot: Harness) -> None:
    channel = bot.client.get_channel(discord_fake.channel_id)
    assert isinstance(channel, discord.TextChannel)
    with pytest.raises(discord.HTTPException) as too_long:
        await asyncio.wait_for(channel.send("x" * 2001), TIMEOUT)
    assert (too_long.value.status, too_long.value.code) == (400, 50035)


async def test_member_queries_are_answered_over_the_gateway(
    discord_fake: FakeDiscord, bot: Harness
) -> None:
    guild = bot.client.get_guild(discord_fake.guild_id)
    assert guild is not None
    found = await asyncio.wait_for(guild.query_members("ali"), TIMEOUT)
    assert [m.name for m in found] == ["alice"]
    assert any(p["op"] == 8 for p in discord_fake.gateway.received)


async def test_auto_sharded_client_asks_for_the_gateway_and_identifies_a_shard(
    discord_fake: FakeDiscord,
) -> None:
    client = discord.AutoShardedClient(intents=discord.Intents.default(), guild_ready_timeout=0.1)
    async with running_client(client, discord_fake.token, timeout=TIMEOUT):
        assert discord_fake.requests_matching("GET", r"/gateway/bot")
        assert discord_fake.identify_payloads[-1]["shard"] == [0, 1]
        assert client.get_guild(discord_fake.guild_id) is not None


async def test_a_role_grant_is_kept_with_its_reason(
    discord_fake: FakeDiscord, bot: Harness
) -> None:
    alice_id = int(discord_fake.member_user["id"])
    learner_id = discord_fake.learner_role_id
    await asyncio.wait_for(
        bot.client.http.add_role(discord_fake.guild_id, alice_id, learner_id, reason="7 días"),
        TIMEOUT,
    )
    assert discord_fake.member_role_ids(alice_id) == [learner_id]
    path = rf"/guilds/{discord_fake.guild_id}/members/{alice_id}/roles/{learner_id}"
    granted = discord_fake.requests_matching("PUT", path)[0]
    assert (granted.status, granted.reason) == (204, "7 días")


async def test_a_204_carries_no_body_and_no_content_type(discord_fake: FakeDiscord) -> None:
    alice_id = discord_fake.member_user["id"]
    url = (
        f"{discord_fake.rest_base}/guilds/{discord_fake.guild_id}"
        f"/members/{alice_id}/roles/{discord_fake.learner_role_id}"
    )
    headers = {"Authorization": f"Bot {discord_fake.token}"}
    async with aiohttp.ClientSession() as session, session.put(url, headers=headers) as answer:
        assert answer.status == 204
        assert "Content-Type" not in answer.headers
        assert await answer.read() == b""


async def test_an_unknown_role_is_a_404_and_changes_nothing(
    discord_fake: FakeDiscord, bot: Harness
) -> None:
    alice_id = int(discord_fake.member_user["id"])
    with pytest.raises(discord.NotFound) as unknown:
        await asyncio.wait_for(
            bot.client.http.add_role(discord_fake.guild_id, alice_id, 1), TIMEOUT
        )
    assert unknown.value.code == 10011
    assert discord_fake.member_role_ids(alice_id) == []


async def test_granting_needs_manage_roles_and_a_role_below_the_bots(
    discord_fake: FakeDiscord, bot: Harness
) -> None:
    guild_id, alice_id = discord_fake.guild_id, int(discord_fake.member_user["id"])
    above = await discord_fake.add_role("Legend", position=5)
    with pytest.raises(discord.Forbidden) as too_high:
        await asyncio.wait_for(bot.client.http.add_role(guild_id, alice_id, above), TIMEOUT)
    assert too_high.value.code == 50013
    await discord_fake.set_bot_permissions(ADMINISTRATOR)  # the hierarchy binds admins too
    with pytest.raises(discord.Forbidden):
        await asyncio.wait_for(bot.client.http.add_role(guild_id, alice_id, above), TIMEOUT)
    await discord_fake.set_bot_permissions(BOT_ROLE_PERMISSIONS & ~MANAGE_ROLES)
    learner = discord_fake.learner_role_id
    with pytest.raises(discord.Forbidden):
        await asyncio.wait_for(bot.client.http.add_role(guild_id, alice_id, learner), TIMEOUT)
    assert discord_fake.member_role_ids(alice_id) == []


async def test_created_roles_are_listed_and_reach_the_cache(
    discord_fake: FakeDiscord, bot: Harness
) -> None:
    created = asyncio.ensure_future(bot.client.wait_for("guild_role_create", timeout=TIMEOUT))
    role_id = await discord_fake.add_role("7-day streak")
    roles = await asyncio.wait_for(bot.client.http.get_roles(discord_fake.guild_id), TIMEOUT)
    assert {"7-day streak", "Learner"} <= {r["name"] for r in roles}
    assert (await created).id == role_id
    guild = bot.client.get_guild(discord_fake.guild_id)
    assert guild is not None and guild.get_role(role_id) is not None


def test_a_modal_is_checked_against_discords_limits() -> None:
    def text_input(key: str, **extra: Any) -> dict[str, Any]:
        item = {"type": 4, "custom_id": key, "label": key, "style": 1, "max_length": 10}
        return {"type": 1, "components": [item | extra]}

    def modal(*rows: dict[str, Any], title: str = "A form") -> dict[str, Any]:
        return {"title": title, "custom_id": "form:x", "components": list(rows)}

    assert check_modal(modal(text_input("a"), text_input("b", style=2, value="0123456789"))) is None
    refused = [
        modal(*(text_input(f"f{i}") for i in range(6))),  # six inputs
        modal(text_input("a", style=3)),
        modal(text_input("a", max_length=4001)),
        modal(text_input("a", label="x" * 46)),
        modal(text_input("a", value="x" * 11)),  # longer than its own max_length
        modal(text_input("a"), text_input("a")),  # custom_id twice
        modal(text_input("a"), title="x" * 46),
        modal(),
    ]
    for body in refused:
        error = check_modal(body)
        assert error is not None and error["code"] == 50035, body
