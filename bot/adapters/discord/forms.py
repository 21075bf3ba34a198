"""Forms on Discord: a modal opened as the first answer, and its submission run as a Call.

A modal can be the first answer to a slash command or a button only (never after a defer),
so the adapter asks here before it does anything else with an interaction.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

import discord

from bot.core.commands import CommandTable
from bot.core.forms import OpenForm, form_for_call, form_for_line, form_path, submitted_call
from bot.core.messages import Actor, Call, Reply

log = logging.getLogger(__name__)

# Discord's limits for a modal and its text inputs.
TITLE_LIMIT = 45
LABEL_LIMIT = 45
PLACEHOLDER_LIMIT = 100
CUSTOM_ID_LIMIT = 100
INPUT_LIMIT = 4000
DRAFTS_KEPT = 1000  # failed submissions kept to fill the form again; the oldest go first


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def modal(form: OpenForm) -> discord.ui.Modal:
    """Return the modal of form: a text input per field, short or paragraph, with its limits."""
    if len(form.form_id) > CUSTOM_ID_LIMIT:
        raise ValueError(f"{form.path.key}: the form's id is longer than Discord allows")
    shown = discord.ui.Modal(title=_cut(form.title, TITLE_LIMIT), custom_id=form.form_id)
    for field in form.fields:
        limit = min(field.max_length, INPUT_LIMIT)
        value = form.values.get(field.key)
        shown.add_item(
            discord.ui.TextInput(
                label=_cut(field.label, LABEL_LIMIT),
                custom_id=field.key,
                style=discord.TextStyle.paragraph if field.long else discord.TextStyle.short,
                placeholder=_cut(field.hint, PLACEHOLDER_LIMIT),
                required=field.required,
                max_length=limit,
                default=value[:limit] if value else None,
            )
        )
    # Submissions are read by custom_id in on_interaction (after a restart too), so
    # discord.py need not keep the modal: a stopped one is not stored.
    shown.stop()
    return shown


def submitted_values(data: Mapping[str, Any]) -> dict[str, str]:
    """Return a modal submission's values by custom_id (action rows, or the newer labels)."""
    return {
        str(item["custom_id"]): str(item.get("value") or "")
        for item in _inputs(data.get("components") or [])
    }


def _inputs(components: list[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    for component in components:
        if "custom_id" in component and "value" in component:
            yield component
        yield from _inputs(component.get("components") or [])
        if isinstance(component.get("component"), Mapping):
            yield from _inputs([component["component"]])


class DiscordForms:
    """Open the form of a form command, and turn its submission into a Call."""

    def __init__(self, table: CommandTable) -> None:
        self._table = table
        # What a person typed into a form that was refused, so "open the form again" keeps it.
        self._drafts: OrderedDict[tuple[str, str], dict[str, str]] = OrderedDict()

    async def open_if_wanted(
        self, interaction: discord.Interaction[Any], what: Call | str, actor: Actor
    ) -> bool:
        """Open the form when what runs a form command without its arguments; say if it did."""
        if isinstance(what, Call):
            form = form_for_call(self._table, what, actor)
        else:  # a button's command line
            form = form_for_line(self._table, what, actor)
        if form is None:
            return False
        draft = self._drafts.get((actor.user_id, form.path.key))
        if draft and not form.values:
            form = replace(form, values=draft)
        try:
            await interaction.response.send_modal(modal(form))
        except (discord.HTTPException, discord.InteractionResponded) as error:
            # A redelivered interaction was answered already; nothing else can be sent.
            log.info("could not open the form of %s: %s", form.path.key, error)
        return True

    def submission(self, interaction: discord.Interaction[Any]) -> Call | None:
        """Return the Call of a modal submission, or None when it is no form of ours."""
        data: Mapping[str, Any] = interaction.data or {}
        path = form_path(self._table, str(data.get("custom_id", "")))
        if path is None:
            return None
        return submitted_call(path, submitted_values(data))

    def settle(self, user_id: str, call: Call, reply: Reply | None) -> None:
        """Keep a refused submission's text for the next form; forget it once one succeeds."""
        key = (user_id, call.command)
        if reply is not None and reply.error == "usage":
            self._drafts[key] = {k: str(v) for k, v in call.options.items()}
            self._drafts.move_to_end(key)
            while len(self._drafts) > DRAFTS_KEPT:
                self._drafts.popitem(last=False)
        elif reply is not None:
            self._drafts.pop(key, None)
