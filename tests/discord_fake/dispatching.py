"""What users do, as gateway events: `send_message` and `send_interaction` of `FakeDiscord`."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence

from .entities import now_iso
from .gateway import Gateway
from .interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    Options,
    SentInteraction,
    build_options,
    command_id,
    component_message,
    interaction_payload,
    mark_focused,
    modal_submit_data,
    nest_options,
)
from .recording import JSON
from .rest import DIRECT_MESSAGES_INTENT, GUILD_MESSAGES_INTENT
from .world import InteractionState, World

log = logging.getLogger(__name__)

MESSAGE_CONTENT_INTENT = 1 << 15


class DispatchHelpers:
    """Dispatch user actions to the connected bot (mixed into `FakeDiscord`)."""

    world: World
    gateway: Gateway
    enforce_intents: bool

    async def send_message(
        self,
        content: str,
        *,
        author: JSON | None = None,
        channel_id: int | None = None,
        mentions: Iterable[JSON] = (),
        mention_roles: Iterable[int] = (),
        message_id: int | None = None,
        dm: bool = False,
    ) -> JSON:
        """Dispatch MESSAGE_CREATE for a user's message; return the message as dispatched.

        `author` defaults to `member_user`, `channel_id` to #general; `dm=True` sends it in the
        author's DM with the bot (no guild_id, no member). `mentions` are user objects; put
        ``<@id>`` in `content` yourself if the text should show them.
        """
        session, _ = self.gateway.live_connection()
        author = author or self.world.member_user
        channel = self.world.dm_channel_for(author) if dm else self._guild_channel(channel_id)
        in_guild = "guild_id" in channel
        mentioned = [self._mention(user, in_guild=in_guild) for user in mentions]
        message: JSON = {
            "id": str(message_id or self.world.new_id()),
            "type": 0,
            "channel_id": channel["id"],
            "author": author,
            "content": content,
            "timestamp": now_iso(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": mentioned,
            "mention_roles": [str(r) for r in mention_roles],
            "attachments": [],
            "embeds": [],
            "components": [],
            "pinned": False,
            "flags": 0,
        }
        if in_guild:
            message["guild_id"] = channel["guild_id"]
            message["member"] = self._member_without_user(author)
        self.world.messages[int(message["id"])] = message
        channel["last_message_id"] = message["id"]
        needed = GUILD_MESSAGES_INTENT if in_guild else DIRECT_MESSAGES_INTENT
        if self.enforce_intents and not session.intents & needed:
            log.warning(
                "fake Discord: MESSAGE_CREATE not delivered, the bot did not ask for the %s intent",
                "GUILD_MESSAGES" if in_guild else "DIRECT_MESSAGES",
            )
            return message
        bot_id = self.world.bot_user["id"]
        can_read = (
            not in_guild
            or session.intents & MESSAGE_CONTENT_INTENT
            or author["id"] == bot_id
            or any(m["id"] == bot_id for m in mentioned)
        )
        if self.enforce_intents and not can_read:
            # Without MESSAGE_CONTENT Discord blanks what the bot may not read.
            message = message | {"content": "", "embeds": [], "attachments": [], "components": []}
        await self.gateway.dispatch("MESSAGE_CREATE", message)
        return message

    async def send_interaction(
        self,
        name: str | None = None,
        options: Options = None,
        *,
        type: int = APPLICATION_COMMAND,  # Discord's own name for the field
        user: JSON | None = None,
        permissions: int | str | None = None,
        guild: bool = True,
        channel_id: int | None = None,
        interaction_id: int | None = None,
        subcommand: str | None = None,
        group: str | None = None,
        focused: str | None = None,
        custom_id: str | None = None,
        component_type: int = 2,
        values: Sequence[str] | None = None,
        message_id: int | None = None,
        locale: str = "en-US",
        fields: Mapping[str, str] | None = None,
    ) -> SentInteraction:
        """Dispatch INTERACTION_CREATE; return its id, token and payload.

        type 2 runs slash command `name` (with `options`, in `subcommand` of `group`);
        type 4 asks for autocomplete of option `focused`; type 3 clicks component `custom_id`
        (a button by default; `values` for a select) on message `message_id`, or on the newest
        message that carries that component; type 5 submits modal `custom_id` with `fields`
        (what was typed, by text input custom_id). `options` is ``{name: value}`` (see
        `build_options`) or a list of raw option dicts. `permissions` overrides the member's.
        Passing an `interaction_id` already used re-sends that interaction (same token, same
        acknowledged state: a second answer gets Discord's 40060 error).
        """
        user = user or self.world.member_user
        channel = self._guild_channel(channel_id) if guild else self.world.dm_channel_for(user)
        message = None
        if type in (APPLICATION_COMMAND, AUTOCOMPLETE):
            if not name:
                raise ValueError("a slash command or autocomplete interaction needs a name")
            built, resolved = build_options(self.world, options, guild=guild)
            nested = nest_options(built, subcommand, group)
            if type == AUTOCOMPLETE:
                if focused is None:
                    raise ValueError("an autocomplete interaction needs focused=<option name>")
                mark_focused(nested, focused)
            cmd_id, cmd_guild = command_id(self.world, name, guild=guild)
            data: JSON = {"id": cmd_id, "name": name, "type": 1, "options": nested}
            if resolved:
                data["resolved"] = resolved
            if cmd_guild:
                data["guild_id"] = cmd_guild
        elif type == MESSAGE_COMPONENT:
            if not custom_id:
                raise ValueError("a component interaction needs a custom_id")
            data = {"custom_id": custom_id, "component_type": component_type}
            if values is not None:
                data["values"] = list(values)
            message = component_message(self.world, int(channel["id"]), custom_id, message_id)
        elif type == MODAL_SUBMIT:
            if not custom_id:
                raise ValueError("a modal submission needs the modal's custom_id")
            data = modal_submit_data(custom_id, fields or {})
        else:
            raise ValueError(f"interaction type {type} is not supported by the fake")
        interaction_id = interaction_id or self.world.new_id()
        token = f"fake-interaction-token-{interaction_id}"
        payload = interaction_payload(
            self.world,
            interaction_id=interaction_id,
            token=token,
            kind=type,
            data=data,
            user=user,
            permissions=permissions,
            channel=channel,
            guild=guild,
            locale=locale,
            message=message,
        )
        state = self.world.interactions.get(interaction_id)
        if state is None:
            self.world.interactions[interaction_id] = InteractionState(
                interaction_id, token, payload
            )
        else:
            state.payload = payload
        # Registered before dispatching: the bot may answer before dispatch() returns.
        await self.gateway.dispatch("INTERACTION_CREATE", payload)
        return SentInteraction(interaction_id, token, payload)

    def _guild_channel(self, channel_id: int | None) -> JSON:
        channel = self.world.channel(channel_id or self.world.channel_id)
        if channel is None or "guild_id" not in channel:
            raise ValueError(f"no guild channel {channel_id} in the fake guild")
        return channel

    def _member_without_user(self, user: JSON) -> JSON:
        member = self.world.members.get(int(user["id"]))
        if member is None:
            member = self.world.member_with_permissions(user)
        return {k: v for k, v in member.items() if k not in ("user", "permissions")}

    def _mention(self, user: JSON, *, in_guild: bool) -> JSON:
        if not in_guild:
            return user
        return user | {"member": self._member_without_user(user)}
