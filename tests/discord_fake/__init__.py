"""A fake Discord (REST API + gateway, v10) for running the real discord.py in tests.

Quick start::

    async with FakeDiscord() as discord_fake:
        with make_client_overrides(discord_fake):  # Route.BASE + DEFAULT_GATEWAY
            client = discord.Client(intents=intents, guild_ready_timeout=0.1)
            tree = app_commands.CommandTree(client)  # register commands; no sync needed
            async with running_client(client, discord_fake.token):
                sent = await discord_fake.send_interaction("ping")
                reply = await discord_fake.wait_for_interaction_response(sent)
                assert reply.json["type"] == 4

What the fake does as Discord does (so the bot's tests catch what production would):

- It checks the bot token (401 otherwise) and Discord's message limits (400, code 50006 or
  50035), and the callback type fits the interaction type.
- An interaction takes one initial answer; a second one (say, for a re-sent interaction id) gets
  400 code 40060. Follow-ups work only after that answer, and the first follow-up after a
  defer fills the "thinking..." message.
- Granting or removing a role needs Manage Roles and a role below the bot's highest one (403
  code 50013 otherwise; 404 code 10011 for an unknown role); `set_bot_permissions` and
  `add_role` set up either case, and `member_role_ids` shows what the bot granted.
- The bot gets its own channel messages back as MESSAGE_CREATE (`echo_bot_messages`), and
  GUILD_MEMBER_UPDATE after a role change (discord.py updates its cache only from that event).
- `enforce_intents`: no MESSAGE_CREATE without GUILD_MESSAGES / DIRECT_MESSAGES, and guild
  messages arrive blank without MESSAGE_CONTENT unless they mention the bot.
- Gateway compression: zlib-stream when asked; anything else (zstd-stream) falls back to text
  frames, which discord.py reads whatever it asked for (see `gateway`).
- Answers with a body carry exactly ``Content-Type: application/json``; a 204 carries no body
  and no Content-Type, as on Discord (discord.py would try to parse an empty JSON body).
"""

from .client import make_client_overrides, running_client
from .interactions import SentInteraction
from .recording import RecordedFile, RecordedRequest
from .server import DEFAULT_TOKEN, FakeDiscord

__all__ = [
    "DEFAULT_TOKEN",
    "FakeDiscord",
    "RecordedFile",
    "RecordedRequest",
    "SentInteraction",
    "make_client_overrides",
    "running_client",
]
