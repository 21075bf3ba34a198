"""The core's light Markdown (bold, links, code) as terminal text: ANSI styles or plain."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import TextIO

_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)")
_CODE = re.compile(r"`([^`\n]+)`")

BOLD_ON, BOLD_OFF = "\x1b[1m", "\x1b[22m"
CODE_ON, CODE_OFF = "\x1b[36m", "\x1b[39m"  # cyan: what to type


def wants_ansi(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Return whether stream is a terminal that may be styled (https://no-color.org)."""
    environ = os.environ if environ is None else environ
    if environ.get("NO_COLOR") or environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def render_markdown(text: str, *, ansi: bool) -> str:
    """Return text with **bold**, [links](url) and `code` styled, or as plain words.

    Plain text keeps the backticks: they mark what to type, as in "type `help`".
    """
    text = _LINK.sub(r"\1 <\2>", text)
    if not ansi:
        return _BOLD.sub(r"\1", text)
    text = _BOLD.sub(lambda m: f"{BOLD_ON}{m[1]}{BOLD_OFF}", text)
    return _CODE.sub(lambda m: f"{CODE_ON}{m[1]}{CODE_OFF}", text)


def bold(text: str, *, ansi: bool) -> str:
    """Return text in bold on a styled terminal, else as it is."""
    return f"{BOLD_ON}{text}{BOLD_OFF}" if ansi else text
