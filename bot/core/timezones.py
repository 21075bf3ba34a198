"""IANA timezone names: validation with friendly suggestions, and local-time formatting."""

from __future__ import annotations

import difflib
import functools
import zoneinfo
from datetime import datetime

from bot.core.errors import InvalidTimezoneError
from bot.core.messages import Actor
from bot.core.ports import MemberKey, MemberRepository, SpaceRepository
from bot.core.sanitize import quote_user_text

EXAMPLES = ("Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC")
# tzdata ships a few entries that are not places anyone lives in.
_NOT_PLACES = {"Factory", "localtime", "posixrules", "leap-seconds.list", "tzdata.zi", "zone.tab"}


@functools.cache
def _names_by_folded() -> dict[str, str]:
    """Map lowercase names to canonical IANA names (built once; the scan is slow)."""
    names = zoneinfo.available_timezones() - _NOT_PLACES
    return {name.casefold(): name for name in names}


@functools.cache
def _names_by_city() -> dict[str, list[str]]:
    """Map the last part of each name ("berlin", "new york") to its full names."""
    cities: dict[str, list[str]] = {}
    for name in _names_by_folded().values():
        city = name.rsplit("/", 1)[-1].replace("_", " ").casefold()
        cities.setdefault(city, []).append(name)
    return cities


def _fold(text: str) -> str:
    return text.strip().replace(" ", "_").casefold()


def suggest_timezones(text: str, limit: int = 3, cutoff: float = 0.7) -> tuple[str, ...]:
    """Return up to limit IANA names that look like text (full name or city)."""
    folded = _fold(text)
    by_name = _names_by_folded()
    found = [by_name[n] for n in difflib.get_close_matches(folded, by_name, limit, cutoff)]
    city = folded.rsplit("/", 1)[-1].replace("_", " ")
    by_city = _names_by_city()
    for match in difflib.get_close_matches(city, by_city, limit, cutoff + 0.05):
        found.extend(by_city[match])
    return tuple(dict.fromkeys(found))[:limit]


def matching_timezones(prefix: str, limit: int = 25) -> tuple[str, ...]:
    """Return names containing prefix, for platform autocomplete."""
    folded = _fold(prefix)
    names = sorted(_names_by_folded().values())
    return tuple(name for name in names if folded in name.casefold())[:limit]


def resolve_timezone(text: str) -> str:
    """Return the canonical IANA name for text, or raise InvalidTimezoneError."""
    canonical = _names_by_folded().get(_fold(text))
    if canonical is not None:
        return canonical
    shown = quote_user_text(text) or "that"
    message = f"`{shown}` is not a timezone I know."
    suggestions = suggest_timezones(text)
    if suggestions:
        message += " Did you mean " + " or ".join(f"`{s}`" for s in suggestions) + "?"
    else:
        # Nothing is really close (say, "Mars/Olympus"): still show the nearest real names.
        suggestions = suggest_timezones(text, limit=2, cutoff=0.5)
        if suggestions:
            message += " The closest names I have are " + ", ".join(f"`{s}`" for s in suggestions)
            message += "."
        message += " Timezones are written Region/City, like " + ", ".join(
            f"`{s}`" for s in EXAMPLES[:3]
        )
        message += "."
    raise InvalidTimezoneError(message, suggestions=suggestions)


def describe_local_time(timezone: str, now: datetime) -> str:
    """Return a short local-time description such as 'Sat 21 Nov, 14:05 (UTC+01:00)'."""
    local = now.astimezone(zoneinfo.ZoneInfo(timezone))
    offset = local.strftime("%z")
    return f"{local:%a %d %b, %H:%M} (UTC{offset[:3]}:{offset[3:]})"


async def community_timezone(spaces: SpaceRepository, actor: Actor, default: str) -> str:
    """Return the community's default timezone (`config streaks timezone`), else default."""
    space = await spaces.get(actor.platform, actor.space_id)
    return (space.default_timezone if space else None) or default


async def member_timezone(
    members: MemberRepository, spaces: SpaceRepository, actor: Actor, default: str
) -> str:
    """Return the member's own timezone, else their community's, else default."""
    member = await members.get(MemberKey(actor.platform, actor.user_id))
    if member is not None and member.timezone:
        return member.timezone
    return await community_timezone(spaces, actor, default)
