"""Quoting user text back must never ping anyone or render markup."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.core.sanitize import quote_user_text


def test_quote_removes_mentions_and_markup() -> None:
    quoted = quote_user_text("@everyone <!here> **bold** `code` <@&123>")
    for bad in ("@everyone", "@here", "<!here>", "**", "`", "<@&"):
        assert bad not in quoted


def test_quote_is_bounded() -> None:
    assert len(quote_user_text("x" * 500, limit=40)) == 40


@given(st.text())
def test_quote_never_contains_an_at_sign_or_angle_bracket(text: str) -> None:
    quoted = quote_user_text(text)
    assert "@" not in quoted and "<" not in quoted and len(quoted) <= 60
