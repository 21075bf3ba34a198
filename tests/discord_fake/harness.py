"""The discord.py client that the fake's own tests run: a few app commands and event queues."""

import asyncio
import struct
import zlib

import discord
from discord import app_commands

TIMEOUT = 2.0
TOPICS = ["SQL basics", "SQL joins", "HTTP caching", "Docker"]


def tiny_png() -> bytes:
    """Return a valid 1x1 PNG (built here so the test needs no data file)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    ihdr, idat, iend = chunk(b"IHDR", header), chunk(b"IDAT", pixels), chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + ihdr + idat + iend


class DoneView(discord.ui.View):
    """A message with one button; clicking it edits the message."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Done", custom_id="step:done")
    async def done(
        self, interaction: discord.Interaction, _button: discord.ui.Button["DoneView"]
    ) -> None:
        await interaction.response.edit_message(content="clicked", view=None)


class Harness:
    """A real discord.py client with a few app commands, and queues of what it saw."""

    def __init__(self, intents: discord.Intents | None = None) -> None:
        if intents is None:
            intents = discord.Intents.default()
            intents.message_content = True
            intents.members = True
        self.client = discord.Client(intents=intents, guild_ready_timeout=0.1)
        self.tree = app_commands.CommandTree(self.client)
        self.messages: asyncio.Queue[discord.Message] = asyncio.Queue()
        self.errors: asyncio.Queue[Exception] = asyncio.Queue()
        self.ready = asyncio.Event()
        self.resumed = asyncio.Event()
        self._register_events()
        self._register_commands()

    async def next_message(self, *, from_bot: bool = False) -> discord.Message:
        """Return the next message seen by on_message (skipping the bot's own by default)."""
        while True:
            message = await asyncio.wait_for(self.messages.get(), TIMEOUT)
            if from_bot or message.author != self.client.user:
                return message

    def _register_events(self) -> None:
        @self.client.event
        async def on_message(message: discord.Message) -> None:
            await self.messages.put(message)

        @self.client.event
        async def on_ready() -> None:
            self.ready.set()

        @self.client.event
        async def on_resumed() -> None:
            self.resumed.set()

        @self.tree.error
        async def on_app_command_error(
            _interaction: discord.Interaction, error: app_commands.AppCommandError
        ) -> None:
            await self.errors.put(error)

    def _register_commands(self) -> None:
        tree = self.tree

        @tree.command(name="ping", description="Answer pong")
        async def ping(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("pong")

        @tree.command(name="secret", description="Answer only to the caller")
        async def secret(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("hush", ephemeral=True)

        @tree.command(name="slow", description="Think, then answer")
        async def slow(interaction: discord.Interaction) -> None:
            await interaction.response.defer(thinking=True)
            await interaction.followup.send("done thinking")

        async def topics(
            _interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            found = [t for t in TOPICS if current.lower() in t.lower()]
            return [app_commands.Choice(name=t, value=t) for t in found]

        @tree.command(name="search", description="Search a topic")
        @app_commands.autocomplete(topic=topics)
        async def search(interaction: discord.Interaction, topic: str) -> None:
            await interaction.response.send_message(f"searching {topic}")

        roadmap = app_commands.Group(name="roadmap", description="The roadmap")

        @roadmap.command(name="assign", description="Give a member a step")
        async def assign(
            interaction: discord.Interaction, member: discord.Member, step: int
        ) -> None:
            await interaction.response.send_message(f"{member.mention} gets step {step}")

        tree.add_command(roadmap)
