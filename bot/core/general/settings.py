"""`config show`: every job's settings of one community, a section each."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.messages import Field, Reply
from bot.core.requests import Request
from bot.core.sections import SettingsSection


class SettingsOverview:
    """Answer `config show` from the sections the jobs contribute (the router checks access)."""

    def __init__(self, sections: Sequence[SettingsSection]) -> None:
        self._sections = tuple(sections)

    async def handle(self, request: Request) -> Reply:
        """Show each section's settings, and the command that changes them."""
        fields = []
        for section in self._sections:
            settings = await section.read(request.actor)
            lines = [f"{setting.name}: {setting.value}" for setting in settings]
            lines.append(f"Change with `{section.command}`.")
            fields.append(Field(section.title, "\n".join(lines)))
        text = "These are this community's settings." if fields else "Nothing to configure yet."
        return Reply(title="Community settings", text=text, fields=tuple(fields), ephemeral=True)
