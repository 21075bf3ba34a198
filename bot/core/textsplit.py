"""Split long text into pieces that fit a platform's size limits, at line breaks when possible."""

from __future__ import annotations


def split_text(text: str, size: int) -> list[str]:
    """Return text in pieces of at most size characters, cut at line breaks where possible.

    A single line longer than size is cut hard. Blank pieces are dropped, so empty text gives
    an empty list.
    """
    pieces: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while len(line) > size:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:size])
            line = line[size:]
        if len(current) + len(line) > size:
            pieces.append(current)
            current = ""
        current += line
    if current:
        pieces.append(current)
    return [p.rstrip("\n") for p in pieces if p.strip()]
