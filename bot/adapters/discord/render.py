"""Render a core Reply as Discord embeds, buttons and files, within Discord's limits."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import discord

from bot.core.messages import Reply
from bot.core.textsplit import split_text

# Discord's documented limits.
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FIELDS_PER_EMBED = 25
EMBED_TOTAL_LIMIT = 6000
CUSTOM_ID_LIMIT = 100
BUTTON_LABEL_LIMIT = 80
BUTTONS_PER_MESSAGE = 25
COMMAND_PREFIX = "rb:cmd:"  # custom_id of a button that runs a command for whoever clicks it
# A button sent outside its server (a DM to the owner) names the server it acts in:
# "rb:in:<guild id>:<command>". The click is then checked against that server's permissions.
IN_SERVER_PREFIX = "rb:in:"
PAGE_BUDGET = 5000  # stay well under the 6,000-character total per embed
COLOUR = discord.Colour(0x2B7A78)
ERROR_COLOUR = discord.Colour(0xC0392B)


@dataclass
class Rendered:
    """A reply ready to send: one embed per page, the buttons and any file."""

    pages: list[discord.Embed]
    buttons: list[discord.ui.Button[discord.ui.View]] = field(default_factory=list)
    file: discord.File | None = None
    ephemeral: bool = False


def _chunks(text: str, size: int) -> list[str]:
    """Split text for embeds; an empty text still gives one (empty) piece."""
    return split_text(text, size) or [""]


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render(reply: Reply, server: str | None = None) -> Rendered:
    """Turn reply into embeds (paginated when long), buttons and an attachment.

    With server, the reply goes outside it (a DM) and its command buttons act in that server
    (a server that is not a guild id, such as a DM's, leaves them acting where clicked).
    """
    colour = ERROR_COLOUR if reply.error else COLOUR
    title = _cut(neutralize_mentions(reply.title), TITLE_LIMIT) if reply.title else None
    descriptions = _chunks(neutralize_mentions(reply.text), DESCRIPTION_LIMIT - 100)
    pages = [discord.Embed(title=title, description=d or None, colour=colour) for d in descriptions]
    page, used = pages[-1], len(pages[-1])
    for item in reply.fields:
        name = _cut(neutralize_mentions(item.name), FIELD_NAME_LIMIT) or "\u200b"
        for index, value in enumerate(_chunks(neutralize_mentions(item.value), FIELD_VALUE_LIMIT)):
            label = name if index == 0 else _cut(f"{name} (cont.)", FIELD_NAME_LIMIT)
            size = len(label) + len(value)
            if len(page.fields) >= FIELDS_PER_EMBED or used + size > PAGE_BUDGET:
                page = discord.Embed(title=title, colour=colour)
                pages.append(page)
                used = len(page)
            page.add_field(name=label, value=value or "\u200b", inline=item.inline)
            used += size
    file = None
    if reply.image is not None:
        file = discord.File(io.BytesIO(reply.image.data), filename=reply.image.filename)
        file.description = _cut(reply.image.alt_text, 1024)
        pages[0].set_image(url=f"attachment://{reply.image.filename}")
    if len(pages) > 1:
        for number, embed in enumerate(pages, start=1):
            embed.set_footer(text=f"Page {number}/{len(pages)}")
    return Rendered(pages, _buttons(reply, server), file, reply.ephemeral)


def _buttons(reply: Reply, server: str | None) -> list[discord.ui.Button[discord.ui.View]]:
    buttons: list[discord.ui.Button[discord.ui.View]] = []
    in_guild = server is not None and server.isascii() and server.isdigit()
    prefix = f"{IN_SERVER_PREFIX}{server}:" if in_guild else COMMAND_PREFIX
    for button in reply.buttons[:BUTTONS_PER_MESSAGE]:
        label = _cut(button.label, BUTTON_LABEL_LIMIT)
        if button.url:
            buttons.append(discord.ui.Button(label=label, url=button.url))
        elif button.command and len(prefix + button.command) <= CUSTOM_ID_LIMIT:
            buttons.append(
                discord.ui.Button(
                    label=label,
                    custom_id=prefix + button.command,
                    style=discord.ButtonStyle.secondary,
                )
            )
    return buttons


def button_view(rendered: Rendered) -> discord.ui.View:
    """Return a view holding the rendered buttons."""
    # Clicks are handled in on_interaction by custom_id, so they keep working after the view
    # expires or the bot restarts; the timeout only frees discord.py's view store.
    view = discord.ui.View(timeout=60)
    for button in rendered.buttons:
        view.add_item(button)
    return view


def command_of(custom_id: str) -> str | None:
    """Return the command line a button's custom_id carries, or None for other components."""
    return custom_id[len(COMMAND_PREFIX) :] if custom_id.startswith(COMMAND_PREFIX) else None


def server_command_of(custom_id: str) -> tuple[int, str] | None:
    """Return (server id, command line) of a button that acts in a server, else None."""
    if not custom_id.startswith(IN_SERVER_PREFIX):
        return None
    server, _, line = custom_id[len(IN_SERVER_PREFIX) :].partition(":")
    return (int(server), line) if server.isascii() and server.isdigit() and line else None


def neutralize_mentions(text: str) -> str:
    """Return text where mass and role mentions cannot ping, even if allowed_mentions slips."""
    text = re.sub(r"<@&\d+>", "a role", text)
    return re.sub(r"@(everyone|here)\b", "\\1", text, flags=re.IGNORECASE)
