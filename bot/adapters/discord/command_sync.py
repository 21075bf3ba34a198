"""Slash commands synced to Discord only when the tree changed since the last sync there."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

import discord
from discord import app_commands

from bot.adapters.discord.sync_state import SyncState, sync_target

log = logging.getLogger(__name__)


async def sync_if_changed(
    tree: app_commands.CommandTree[Any],
    api_base: str,
    sync_guild_id: int | None,
    sync_state_file: Path | None,
) -> None:
    """Sync the command tree to Discord only when it differs from the last sync there."""
    scope = f"guild:{sync_guild_id}" if sync_guild_id else "global"
    digest = tree_digest(tree, scope)
    target = sync_target(api_base, tree.client.application_id, scope)
    state = SyncState(sync_state_file)
    if state.is_current(target, digest):
        log.info("slash commands unchanged since the last sync; not syncing")
        return
    guild = discord.Object(sync_guild_id) if sync_guild_id else None
    if guild is not None:
        tree.copy_global_to(guild=guild)
    await tree.sync(guild=guild)
    log.info("synced %d slash commands (%s)", len(tree.get_commands()), scope)
    state.remember(target, digest)


def tree_digest(tree: app_commands.CommandTree[Any], scope: str) -> str:
    """Return a digest of the tree as Discord receives it: groups with their subcommands too."""
    payload = [command.to_dict(tree) for command in tree.get_commands()]
    return hashlib.sha256(json.dumps([scope, payload], sort_keys=True).encode()).hexdigest()
