"""Argument types: one converter per kind of value, shared by every platform.

A converter turns one word (or the rest of a line) into a typed value, or raises `BadValue`
with a message a person can read. Platforms with native option types (Discord's integers,
users, channels, roles) hand over values that are already typed; `accept` checks them too, so
validation lives here and nowhere else. (Kinds are dataclasses without slots: a slotted
dataclass is a new class, which breaks the zero-argument `super()` some kinds use.)
"""

from bot.core.converters.base import BadValue, ConvertContext, Kind
from bot.core.converters.mentions import Channel, Member, Role
from bot.core.converters.plain import (
    ANY,
    BySetting,
    Choice,
    Choices,
    CommandName,
    Integer,
    Pair,
    Text,
    Timezone,
    Topic,
    Topics,
)
from bot.core.converters.when import (
    WEEKDAY_NAMES,
    Day,
    DayOrWeekdays,
    Duration,
    TimeOfDay,
    Weekdays,
)

__all__ = [
    "ANY", "WEEKDAY_NAMES", "BadValue", "BySetting", "Channel", "Choice", "Choices",
    "CommandName", "ConvertContext", "Day", "DayOrWeekdays", "Duration", "Integer", "Kind",
    "Member", "Pair", "Role", "Text", "TimeOfDay", "Timezone", "Topic", "Topics", "Weekdays",
]  # fmt: skip
