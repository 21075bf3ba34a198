"""Which chat platforms are configured and can start (kept light: the CLI imports it first)."""

from __future__ import annotations

from bot.config import Settings


class StartupError(Exception):
    """The bot cannot start; the message says why in one line, without secrets."""


class PlatformsStopped(Exception):
    """Every platform adapter has stopped; the message says why in one line, without secrets."""


def configured_platforms(settings: Settings) -> list[str]:
    """Return the chat platforms whose credentials are set."""
    platforms = []
    if settings.discord_token is not None:
        platforms.append("discord")
    if settings.slack_bot_token is not None and (
        settings.slack_signing_secret is not None or settings.slack_app_token is not None
    ):
        platforms.append("slack")
    return platforms


# Adapters this build can start.
AVAILABLE_PLATFORMS: frozenset[str] = frozenset({"discord", "slack"})


def platforms_to_start(settings: Settings) -> tuple[list[str], list[str]]:
    """Return (platforms that will start, configured platforms this build cannot start)."""
    configured = configured_platforms(settings)
    ready = [p for p in configured if p in AVAILABLE_PLATFORMS]
    return ready, [p for p in configured if p not in AVAILABLE_PLATFORMS]
