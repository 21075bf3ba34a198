"""What the requests side tells members privately: offers, introductions, follow-ups, news.

A learner's hours are never in an offer; a mentor's hours and timezone appear only in the
introduction of their own match. User text is quoted through sanitize.quote_user_text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.core.mentoring.availability import Availability, LocalSpan, overlap_in_local
from bot.core.mentoring.records import MentorRequest, Offer, Pairing
from bot.core.messages import Button, Field, Reply
from bot.core.sanitize import quote_user_text

CONTEXT_SHOWN = 500


def local_when(moment: datetime, timezone: str) -> str:
    """Return an instant on a member's clock, to the minute, naming the zone."""
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{local.strftime('%a %d %b %H:%M')} ({timezone})"


def when(moment: datetime) -> str:
    """Return an instant in UTC, to the minute."""
    return moment.strftime("%a %d %b %H:%M UTC")


def offer_reply(offer: Offer, request: MentorRequest, topic_name: str, timezone: str) -> Reply:
    """Return the offer a mentor gets: topic, context, deadline (their time), Accept, Decline."""
    return Reply(
        title=f"Mentoring request #{offer.id}: {topic_name}",
        text=f"**{quote_user_text(request.learner_name, 60)}** is stuck and asks for a mentor. "
        f"Answer by {local_when(offer.deadline, timezone)}; without an answer it goes to "
        "another mentor.",
        fields=(Field("What they are stuck on", quote_user_text(request.context, CONTEXT_SHOWN)),),
        buttons=(
            Button("Accept", command=f"mentor accept {offer.id}"),
            Button("Decline", command=f"mentor decline {offer.id}"),
        ),
    )


def spans_text(spans: Sequence[LocalSpan]) -> str:
    """Return shared hours as `Mon 18:00-20:00` lines on one member's clock."""
    if not spans:
        return "none in a usual week: agree on a time in messages"
    lines = []
    for span in spans:
        end = span.end.strftime("%H:%M")
        if span.end.date() != span.start.date():
            end = span.end.strftime("%a %H:%M")
        lines.append(f"{span.start.strftime('%a %H:%M')}-{end}")
    return "\n".join(lines)


def introductions(
    pairing: Pairing,
    request: MentorRequest,
    topic_name: str,
    mentor_name: str,
    mentor_hours: Availability,
    week: date,
) -> tuple[Reply, Reply]:
    """Return the introductions (the mentor's, the learner's) with hours in each one's zone."""
    learner_hours = request.availability()
    for_learner, for_mentor = overlap_in_local(learner_hours, mentor_hours, week)
    context = Field("Stuck on", quote_user_text(request.context, CONTEXT_SHOWN))
    learner = quote_user_text(request.learner_name, 60)
    mentor = quote_user_text(mentor_name, 60)
    to_mentor = Reply(
        title=f"You are mentoring {learner} on {topic_name}",
        text=f"Say hello to **@{learner}** and agree on a time. Pairing #{pairing.id}.",
        fields=(
            context,
            Field("Timezones", f"you: {mentor_hours.timezone}\n{learner}: {request.timezone}"),
            Field("Hours you share (your time)", spans_text(for_mentor)),
        ),
    )
    to_learner = Reply(
        title=f"{mentor} will mentor you on {topic_name}",
        text=f"Say hello to **@{mentor}** and agree on a time. Pairing #{pairing.id}.",
        fields=(
            context,
            Field("Timezones", f"you: {request.timezone}\n{mentor}: {mentor_hours.timezone}"),
            Field("Hours you share (your time)", spans_text(for_learner)),
        ),
    )
    return to_mentor, to_learner


def followup_reply(pairing: Pairing, topic_name: str) -> Reply:
    """Return "did you meet?" with Yes and No buttons."""
    return Reply(
        title=f"Did you meet? (mentoring on {topic_name})",
        text="A quick check on your mentoring pairing: did the two of you meet?",
        buttons=(
            Button("Yes, we met", command=f"mentor met {pairing.id} yes"),
            Button("No", command=f"mentor met {pairing.id} no"),
        ),
    )


def learner_news(text: str, topic_name: str) -> Reply:
    """Return a notice to a learner about their request."""
    return Reply(title=f"Your mentoring request: {topic_name}", text=text)
