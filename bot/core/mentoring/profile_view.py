"""A mentor profile as its owner sees it (hours and timezone are never shown to others)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

from bot.core.knowledge import KnowledgeBase, Stage
from bot.core.mentoring.commands import INTRO_LIMIT
from bot.core.mentoring.ports import MentorProfile
from bot.core.messages import Field
from bot.core.sanitize import quote_user_text


def stage_name(level: int, stages: Sequence[Stage]) -> str:
    """Return the stage a level names, as `3. Building backends`."""
    if 0 <= level < len(stages):
        return f"{level + 1}. {stages[level].title}"
    return f"stage {level + 1}"  # the path lost a stage since: still say what is stored


def pause_text(profile: MentorProfile, today: date) -> str:
    """Return whether the mentor takes new mentees, in words."""
    if not profile.paused_on(today) or profile.paused_until is None:
        return "taking new mentees"
    why = f" ({quote_user_text(profile.paused_reason, 100)})" if profile.paused_reason else ""
    if profile.paused_until == date.max:
        return f"paused until you resume{why}"
    back = profile.paused_until + timedelta(days=1)
    return f"paused; back on {back.isoformat()}{why}"


def profile_fields(
    profile: MentorProfile, knowledge: KnowledgeBase, today: date
) -> tuple[Field, ...]:
    """Return the profile as reply fields: topics, experience, hours, capacity, status, intro."""
    names = []
    for topic_id in sorted(profile.topics, key=_path_order(knowledge)):
        topic = knowledge.topic(topic_id)
        names.append(topic.name if topic is not None else topic_id)
    fields = [
        Field("Topics", ", ".join(names)),
        Field("Experience", stage_name(profile.level, knowledge.stages), inline=True),
        Field("Capacity", f"{profile.capacity} at once", inline=True),
        Field("Status", pause_text(profile, today), inline=True),
        Field("Hours", f"{profile.hours} ({profile.timezone})"),
    ]
    if profile.intro:
        fields.append(Field("Intro", quote_user_text(profile.intro, INTRO_LIMIT)))
    return tuple(fields)


def _path_order(knowledge: KnowledgeBase) -> Callable[[str], int]:
    """Return a sort key: topics in the roadmap's order, unknown ones last."""
    order = {topic_id: index for index, topic_id in enumerate(knowledge.canonical_order())}
    return lambda topic_id: order.get(topic_id, len(order))
