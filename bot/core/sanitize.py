"""Make user-supplied text safe to quote back: no mentions, no markup, bounded length."""

from __future__ import annotations

import re
import unicodedata

# Characters that start mentions or markup on Discord, Slack or in Markdown; quoting them back
# could ping a whole server (`@everyone`, `<!here>`) or change how a reply renders.
_UNSAFE = re.compile(r"[@<>`*_~|\\\[\]#]")
_SPACES = re.compile(r"\s+")


def quote_user_text(text: str, limit: int = 60) -> str:
    """Return text with mentions, markup and control characters removed, cut to limit."""
    printable = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    cleaned = _SPACES.sub(" ", _UNSAFE.sub("", printable)).strip()
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return cleaned
