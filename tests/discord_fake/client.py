"""Point discord.py at a `FakeDiscord`, and run a client against it with a clean teardown."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, TypeVar

import discord
import discord.gateway
import discord.http

if TYPE_CHECKING:
    from .server import FakeDiscord

ClientT = TypeVar("ClientT", bound=discord.Client)


@contextlib.contextmanager
def make_client_overrides(discord_fake: FakeDiscord) -> Iterator[None]:
    """Send discord.py's REST calls and gateway connection to the fake; restore on exit.

    Both are class attributes read on every call, so they also cover interaction callbacks and
    webhooks. Set them before the client logs in.
    """
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = discord_fake.rest_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = discord_fake.gateway_url
    try:
        yield
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


@contextlib.asynccontextmanager
async def running_client(
    client: ClientT, token: str, *, timeout: float = 5.0
) -> AsyncIterator[ClientT]:
    """Log in, connect, wait for on_ready; on exit close the client and await its task.

    `login()` runs first so a bad token raises here, and because `wait_until_ready()` needs
    the state that login creates. Use `guild_ready_timeout=0.1` on the client: discord.py
    waits that long after the last GUILD_CREATE before it calls on_ready (2 s by default).
    """
    try:
        await client.login(token)
    except BaseException:
        await client.close()  # login opened an HTTP session
        raise
    task = asyncio.create_task(client.connect(), name="discord-client-connect")
    try:
        ready = asyncio.create_task(client.wait_until_ready(), name="discord-client-ready")
        done, _ = await asyncio.wait({task, ready}, timeout=timeout, return_when="FIRST_COMPLETED")
        if ready not in done:
            ready.cancel()
            if task in done:
                task.result()  # the client stopped: raise its error
            raise TimeoutError(f"discord client not ready within {timeout} s")
        yield client
    finally:
        await client.close()
        # connect() returns once the client is closed; a failure inside it surfaces here.
        await asyncio.wait_for(task, timeout)
