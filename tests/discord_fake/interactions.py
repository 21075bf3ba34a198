"""Build INTERACTION_CREATE payloads: slash commands, autocomplete and component clicks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .entities import fixed_id
from .recording import JSON
from .world import World

APPLICATION_COMMAND = 2
MESSAGE_COMPONENT = 3
AUTOCOMPLETE = 4
MODAL_SUBMIT = 5
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024  # discord.py reads this key unconditionally

# Option types: https://discord.com/developers/docs/interactions/application-commands
SUB_COMMAND, SUB_COMMAND_GROUP, STRING, INTEGER, BOOLEAN = 1, 2, 3, 4, 5
USER, CHANNEL, ROLE, NUMBER = 6, 7, 8, 10

Options = Mapping[str, Any] | Sequence[JSON] | None


@dataclass(frozen=True)
class SentInteraction:
    """An interaction the fake dispatched: what a test needs to await the bot's answer."""

    id: int
    token: str
    payload: JSON

    @property
    def callback_path(self) -> str:
        """Return the regex of this interaction's callback path."""
        return f"/interactions/{self.id}/{self.token}/callback"

    @property
    def webhook_path(self) -> str:
        """Return the regex of this interaction's follow-up webhook path (application id, token)."""
        return f"/webhooks/{self.payload['application_id']}/{self.token}"


def build_options(world: World, options: Options, *, guild: bool) -> tuple[list[JSON], JSON]:
    """Turn `{name: value}` (or raw option dicts, passed through) into options + resolved data.

    Values map to option types: bool, int, float, str; a user, role or channel dict from the
    fake (e.g. `discord_fake.member_user`) becomes a USER/ROLE/CHANNEL option with `resolved`.
    """
    resolved: dict[str, JSON] = {}
    if options is None:
        return [], resolved
    if not isinstance(options, Mapping):
        return [dict(o) for o in options], resolved
    built = [_option(world, name, value, resolved, guild=guild) for name, value in options.items()]
    return built, resolved


def _option(world: World, name: str, value: Any, resolved: dict[str, JSON], *, guild: bool) -> JSON:
    kind: int
    if isinstance(value, bool):  # before int: bool is an int
        kind = BOOLEAN
    elif isinstance(value, int):
        kind = INTEGER
    elif isinstance(value, float):
        kind = NUMBER
    elif isinstance(value, str):
        kind = STRING
    elif isinstance(value, Mapping) and "username" in value:
        kind, value = USER, _resolve_user(world, value, resolved, guild=guild)
    elif isinstance(value, Mapping) and "type" in value:
        kind, value = CHANNEL, str(value["id"])
        bot_permissions = str(world.permissions_for(world.application_id))
        channel = world.channel(int(value)) or {}
        resolved.setdefault("channels", {})[value] = {**channel, "permissions": bot_permissions}
    elif isinstance(value, Mapping) and "permissions" in value:
        kind, value = ROLE, str(value["id"])
        resolved.setdefault("roles", {})[value] = world.role(int(value))
    else:
        raise TypeError(f"option {name!r}: cannot map {value!r} to a Discord option type")
    return {"name": name, "type": kind, "value": value}


def _resolve_user(
    world: World, user: Mapping[str, Any], resolved: dict[str, JSON], *, guild: bool
) -> str:
    user_id = str(user["id"])
    resolved.setdefault("users", {})[user_id] = dict(user)
    if guild:
        member = world.member_with_permissions(dict(user))
        member = {k: v for k, v in member.items() if k != "user"}  # resolved members omit user
        resolved.setdefault("members", {})[user_id] = member
    return user_id


def nest_options(options: list[JSON], subcommand: str | None, group: str | None) -> list[JSON]:
    """Wrap options in a subcommand and, if given, a subcommand group."""
    if subcommand is not None:
        options = [{"name": subcommand, "type": SUB_COMMAND, "options": options}]
    if group is not None:
        if subcommand is None:
            raise ValueError("a subcommand group needs a subcommand")
        options = [{"name": group, "type": SUB_COMMAND_GROUP, "options": options}]
    return options


def mark_focused(options: list[JSON], focused: str) -> None:
    """Mark the (possibly nested) option named `focused` as the one being typed."""
    for option in options:
        if option["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP):
            mark_focused(option.get("options", []), focused)
            return
        if option["name"] == focused:
            option["focused"] = True
            return
    raise ValueError(f"autocomplete: no option named {focused!r} to focus")


def command_id(world: World, name: str, *, guild: bool) -> tuple[str, str | None]:
    """Return (command id, guild id or None): a synced command's id, else a stable made-up one."""
    if guild:
        for command in world.guild_commands.get(world.guild_id, []):
            if command["name"] == name:
                return command["id"], str(world.guild_id)
    for command in world.global_commands:
        if command["name"] == name:
            return command["id"], None
    return str(fixed_id(1000 + sum(map(ord, name)))), None


def modal_submit_data(custom_id: str, fields: Mapping[str, str]) -> JSON:
    """Return a modal submission's data: one action row per text input, with what was typed."""
    rows = [{"type": 1, "components": [{"type": 4, "custom_id": key, "value": value}]}
            for key, value in fields.items()]  # fmt: skip
    return {"custom_id": custom_id, "components": rows}


def component_message(
    world: World, channel_id: int, custom_id: str, message_id: int | None
) -> JSON:
    """Return the message a component sits on: the given one, else the newest that has it."""
    if message_id is not None and message_id in world.messages:
        return world.messages[message_id]
    for message in reversed(world.messages.values()):
        rows = message.get("components") or []
        ids = {c.get("custom_id") for row in rows for c in row.get("components", [])}
        if int(message["channel_id"]) == channel_id and custom_id in ids:
            return message
    channel = world.channel(channel_id) or {"id": str(channel_id)}
    placeholder = world.make_message(channel, world.bot_user, {"content": "(component host)"})
    if message_id is not None:  # a test asked for this id: store the message under it
        del world.messages[int(placeholder["id"])]
        placeholder["id"] = str(message_id)
        world.messages[message_id] = placeholder
    return placeholder


def interaction_payload(
    world: World,
    *,
    interaction_id: int,
    token: str,
    kind: int,
    data: JSON,
    user: JSON,
    permissions: int | str | None,
    channel: JSON,
    guild: bool,
    locale: str,
    message: JSON | None,
) -> JSON:
    """Build an INTERACTION_CREATE payload with every field discord.py 2.7 reads."""
    bot_permissions = str(world.permissions_for(world.application_id))
    payload: JSON = {
        "id": str(interaction_id),
        "application_id": str(world.application_id),
        "type": kind,
        "token": token,
        "version": 1,
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        "channel": dict(channel),
        "channel_id": channel["id"],
        "data": data,
        "app_permissions": bot_permissions,
        "locale": locale,
        "entitlements": [],
        "entitlement_sku_ids": [],
    }
    if guild:
        member = world.member_with_permissions(user)
        if permissions is not None:
            member["permissions"] = str(permissions)
        # A guild channel carries the invoking member's permissions in it.
        payload["channel"]["permissions"] = member["permissions"]
        payload |= {
            "guild_id": str(world.guild_id),
            "guild": {"id": str(world.guild_id), "locale": "en-US", "features": []},
            "guild_locale": "en-US",
            "member": member,
            "authorizing_integration_owners": {"0": str(world.guild_id)},
            "context": 0,
        }
    else:
        payload |= {
            "user": user,
            # For a guild-installed app used in its bot's DMs Discord sends "0" as the owner.
            "authorizing_integration_owners": {"0": "0"},
            "context": 1,
        }
    if message is not None:
        payload["message"] = message
    return payload
