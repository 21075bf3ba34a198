"""Discord's message limits, checked so a bot that breaks one fails in tests as it would live.

https://discord.com/developers/docs/resources/message#create-message and the embed limits.
"""

from __future__ import annotations

from typing import Any

from .recording import JSON

CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TOTAL_MAX = 6000
EMBED_FIELD_LIMITS = {"title": 256, "description": 4096}
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
ACTION_ROWS_MAX = 5
ROW_ITEMS_MAX = 5
CUSTOM_ID_MAX = 100
BUTTON_LABEL_MAX = 80
CHOICES_MAX = 25
IS_COMPONENTS_V2 = 1 << 15
CHOICE_NAME_MAX = 100
MODAL_TITLE_MAX = 45
MODAL_INPUTS_MAX = 5
TEXT_INPUT = 4
TEXT_INPUT_LABEL_MAX = 45
TEXT_INPUT_PLACEHOLDER_MAX = 100
TEXT_INPUT_LENGTH_MAX = 4000


def form_error(where: str, message: str) -> JSON:
    """Build Discord's 50035 Invalid Form Body answer for one field."""
    return {
        "message": "Invalid Form Body",
        "code": 50035,
        "errors": {where: {"_errors": [{"code": "BASE_TYPE_INVALID", "message": message}]}},
    }


def check_message(body: JSON, *, file_count: int = 0, editing: bool = False) -> JSON | None:
    """Return Discord's error answer for a message body that breaks a limit, else None."""
    content = body.get("content") or ""
    embeds: list[JSON] = body.get("embeds") or []
    components: list[JSON] = body.get("components") or []
    has_poll_or_sticker = bool(body.get("poll") or body.get("sticker_ids"))
    if not editing and not (content or embeds or components or file_count or has_poll_or_sticker):
        return {"message": "Cannot send an empty message", "code": 50006}
    if len(content) > CONTENT_MAX:
        return form_error("content", f"Must be {CONTENT_MAX} or fewer in length.")
    if len(embeds) > EMBEDS_MAX:
        return form_error("embeds", f"Must be {EMBEDS_MAX} or fewer in length.")
    total = 0
    for index, embed in enumerate(embeds):
        problem, size = _check_embed(embed)
        if problem:
            return form_error(f"embeds.{index}.{problem[0]}", problem[1])
        total += size
    if total > EMBED_TOTAL_MAX:
        return form_error("embeds", f"Embed size exceeds maximum size of {EMBED_TOTAL_MAX}")
    if int(body.get("flags") or 0) & IS_COMPONENTS_V2:
        return None  # layout components: up to 40, nested; not checked here
    return _check_components(components)


def _check_embed(embed: JSON) -> tuple[tuple[str, str] | None, int]:
    """Return (problem, size): the first broken limit and the embed's counted characters."""
    size = 0
    for key, limit in EMBED_FIELD_LIMITS.items():
        text = embed.get(key) or ""
        if len(text) > limit:
            return (key, f"Must be {limit} or fewer in length."), 0
        size += len(text)
    fields: list[JSON] = embed.get("fields") or []
    if len(fields) > FIELDS_MAX:
        return ("fields", f"Must be {FIELDS_MAX} or fewer in length."), 0
    for index, field in enumerate(fields):
        name, value = str(field.get("name") or ""), str(field.get("value") or "")
        if not name or not value:
            return (f"fields.{index}", "name and value are required"), 0
        if len(name) > FIELD_NAME_MAX or len(value) > FIELD_VALUE_MAX:
            return (f"fields.{index}", "field name or value too long"), 0
        size += len(name) + len(value)
    size += len(_nested(embed, "footer", "text")) + len(_nested(embed, "author", "name"))
    return None, size


def _nested(embed: JSON, key: str, inner: str) -> str:
    part: Any = embed.get(key) or {}
    return str(part.get(inner) or "")


def _check_components(rows: list[JSON]) -> JSON | None:
    if len(rows) > ACTION_ROWS_MAX:
        return form_error("components", f"Must be {ACTION_ROWS_MAX} or fewer in length.")
    for r, row in enumerate(rows):
        items: list[JSON] = row.get("components") or []
        if row.get("type") == 1 and not 1 <= len(items) <= ROW_ITEMS_MAX:
            return form_error(f"components.{r}.components", "an action row holds 1 to 5 items")
        for i, item in enumerate(items):
            if len(str(item.get("custom_id") or "")) > CUSTOM_ID_MAX:
                return form_error(f"components.{r}.components.{i}.custom_id", "too long")
            if len(str(item.get("label") or "")) > BUTTON_LABEL_MAX:
                return form_error(f"components.{r}.components.{i}.label", "too long")
    return None


def check_choices(data: JSON) -> JSON | None:
    """Return Discord's error answer for an autocomplete result that breaks a limit, else None."""
    choices: list[JSON] = data.get("choices") or []
    if len(choices) > CHOICES_MAX:
        return form_error("data.choices", f"Must be {CHOICES_MAX} or fewer in length.")
    for index, choice in enumerate(choices):
        if not 1 <= len(str(choice.get("name") or "")) <= CHOICE_NAME_MAX:
            message = f"Must be between 1 and {CHOICE_NAME_MAX} in length."
            return form_error(f"data.choices.{index}.name", message)
    return None


def check_modal(data: JSON) -> JSON | None:
    """Return Discord's error answer for a modal that breaks a limit, else None.

    A modal holds 1 to 5 action rows of one text input each (style 1 short, 2 paragraph).
    """
    title = str(data.get("title") or "")
    if not 1 <= len(title) <= MODAL_TITLE_MAX:
        return form_error("data.title", f"Must be between 1 and {MODAL_TITLE_MAX} in length.")
    if not 1 <= len(str(data.get("custom_id") or "")) <= CUSTOM_ID_MAX:
        return form_error("data.custom_id", f"Must be between 1 and {CUSTOM_ID_MAX} in length.")
    rows: list[JSON] = data.get("components") or []
    if not 1 <= len(rows) <= MODAL_INPUTS_MAX:
        return form_error("data.components", f"Must be between 1 and {MODAL_INPUTS_MAX} in length.")
    ids = set()
    for r, row in enumerate(rows):
        items: list[JSON] = row.get("components") or []
        where = f"data.components.{r}"
        if row.get("type") != 1 or len(items) != 1 or items[0].get("type") != TEXT_INPUT:
            return form_error(where, "a modal row holds exactly one text input")
        problem = _check_text_input(items[0])
        if problem:
            return form_error(f"{where}.components.0.{problem[0]}", problem[1])
        ids.add(items[0]["custom_id"])
    if len(ids) != len(rows):
        return form_error("data.components", "custom_id must be unique within a modal")
    return None


def _check_text_input(item: JSON) -> tuple[str, str] | None:
    label, custom_id = str(item.get("label") or ""), str(item.get("custom_id") or "")
    if not 1 <= len(label) <= TEXT_INPUT_LABEL_MAX:
        return "label", f"Must be between 1 and {TEXT_INPUT_LABEL_MAX} in length."
    if not 1 <= len(custom_id) <= CUSTOM_ID_MAX:
        return "custom_id", f"Must be between 1 and {CUSTOM_ID_MAX} in length."
    if item.get("style") not in (1, 2):
        return "style", "Value must be one of (1, 2)."
    if len(str(item.get("placeholder") or "")) > TEXT_INPUT_PLACEHOLDER_MAX:
        return "placeholder", f"Must be {TEXT_INPUT_PLACEHOLDER_MAX} or fewer in length."
    low, high = int(item.get("min_length") or 0), int(item.get("max_length") or 4000)
    if not 0 <= low <= high <= TEXT_INPUT_LENGTH_MAX or high < 1:
        return "max_length", f"Must be between 1 and {TEXT_INPUT_LENGTH_MAX}, not below min."
    if len(str(item.get("value") or "")) > high:
        return "value", f"Must be {high} or fewer in length."
    return None
