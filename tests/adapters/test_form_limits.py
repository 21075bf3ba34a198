"""Every form of the table, as each platform would show it, within that platform's limits."""

from __future__ import annotations

import pytest

from bot.adapters.discord.forms import modal
from bot.adapters.slack.forms import modal_view
from bot.core.catalog import COMMANDS
from bot.core.commands import CommandPath
from bot.core.forms import OpenForm, form_fields
from tests.discord_fake.limits import check_modal
from tests.forms_demo import TABLE
from tests.slack_fake.web_api import modal_problems

# The shipped table's forms, and the test-only ones (the shipped table may have none yet).
FORMS = {p.key: p for t in (COMMANDS, TABLE) for p in t.runnable() if p.leaf.form is not None}


@pytest.mark.parametrize("path", list(FORMS.values()), ids=list(FORMS))
def test_a_form_fits_discord_and_slack_even_filled_to_its_limits(path: CommandPath) -> None:
    fields = form_fields(path)
    full = OpenForm(path, fields, {f.key: "x" * f.max_length for f in fields})
    assert check_modal(modal(full).to_dict()) is None
    assert modal_problems(modal_view(full, "C1", "https://hooks.slack.com/x")) == []
