"""roadmap-bot: a community bot that helps people become backend developers."""

from __future__ import annotations

import functools


@functools.cache
def version() -> str:
    """Return the installed version (looked up on demand: the lookup costs ~50 ms)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed_version

    try:
        return installed_version("roadmap-bot")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "0.0.0+unknown"
