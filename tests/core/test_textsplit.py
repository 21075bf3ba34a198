"""Splitting long text for platform limits."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.core.textsplit import split_text


def test_splits_at_line_breaks() -> None:
    assert split_text("aaa\nbbb\nccc", 8) == ["aaa\nbbb", "ccc"]


def test_cuts_a_long_line_hard_and_drops_blank_pieces() -> None:
    assert split_text("x" * 10 + "\n\n", 4) == ["xxxx", "xxxx", "xx"]
    assert split_text("", 10) == []


@given(st.text(), st.integers(min_value=1, max_value=50))
def test_pieces_fit_and_keep_every_visible_character(text: str, size: int) -> None:
    pieces = split_text(text, size)
    assert all(len(p) <= size for p in pieces)
    assert "".join("".join(p.split()) for p in pieces) == "".join(text.split())
