"""Commands of the mentoring job: the `mentor` group and its mentors' subcommands.

The group is shared by both sides of the job: the profiles side (signup, edit, profile,
pause, resume, leave, block, unblock) and the requests side add their subcommands as tuples,
and the catalog builds the group once with `mentor_group(...)`.
"""

from __future__ import annotations

from bot.core.commands import Argument, Command, Form
from bot.core.converters import Choice, Day, Integer, Member, Text, Timezone, Topics
from bot.core.mentoring.ports import DEFAULT_CAPACITY

MOST_MENTEES = 5  # capacity: active mentees at once
INTRO_LIMIT = 300
HOURS_LIMIT = 200
EXPERIENCE_LIMIT = 60  # a stage's id, number or title
CONFIRM = "confirm"

_HOURS_EXAMPLE = "Mon-Thu 18:00-20:00, Sat 10:00-12:00"


def _profile_arguments(*, required: bool) -> tuple[Argument, ...]:
    """Return a profile's arguments: required for signup, each optional for edit."""
    return (
        Argument(
            "topics",
            "Roadmap topics you can help with, comma-separated (e.g. git,databases).",
            Topics(autocomplete="topics"),
            required=required,
        ),
        Argument(
            "experience",
            "The furthest roadmap stage you can guide someone through: its name or number.",
            Text(EXPERIENCE_LIMIT),
            required=required,
        ),
        Argument(
            "hours",
            f"When you are free each week, your local time: {_HOURS_EXAMPLE}.",
            Text(HOURS_LIMIT),
            required=required,
        ),
        Argument(
            "capacity",
            f"How many mentees at once ({DEFAULT_CAPACITY} by default).",
            Integer(1, MOST_MENTEES),
        ),
        Argument("intro", "A line or two about you, shown to your matches.", Text(INTRO_LIMIT)),
        Argument(
            "timezone",
            "Your timezone (your saved one, else the community's, when left out).",
            Timezone(),
        ),
    )


_FORM_FIELDS = ("topics", "experience", "hours", "capacity", "intro")
_PROFILE_USAGE = (
    "topics:<a,b> experience:<stage> hours:<Mon-Thu 18:00-20:00> [capacity:<1-5>] "
    "[intro:<text>] [timezone:<Region/City>]"
)

MENTOR_SIGNUP = Command(
    name="signup",
    summary="Volunteer as a mentor: your topics, experience, weekly hours and capacity.",
    arguments=_profile_arguments(required=True),
    examples=(
        "mentor signup topics:git,databases experience:backend "
        f"hours:{_HOURS_EXAMPLE} capacity:2 intro:Backend dev, happy to pair on SQL.",
        "mentor signup",
    ),
    usage_line=f"mentor signup {_PROFILE_USAGE}",
    details="On Discord and Slack `mentor signup` alone opens a form. Experience is a stage of "
    "`roadmap` (name or number): you are offered learners up to that stage. Hours are weekly, "
    "in your timezone; they and your timezone are shown only to your matches.",
    form=Form(title="Become a mentor", fields=_FORM_FIELDS, long=("intro",)),
)

MENTOR_EDIT = Command(
    name="edit",
    summary="Change your mentor profile: only what you give changes.",
    arguments=_profile_arguments(required=False),
    examples=("mentor edit capacity:3", "mentor edit hours:Sat 10:00-12:00", "mentor edit"),
    usage_line="mentor edit [topics:<a,b>] [experience:<stage>] [hours:<…>] [capacity:<1-5>] "
    "[intro:<text>] [timezone:<Region/City>]",
    details="On Discord and Slack `mentor edit` alone opens a form; fill in what changes. "
    "`mentor profile` shows what is saved.",
    form=Form(title="Edit mentor profile", fields=_FORM_FIELDS, long=("intro",)),
)

MENTOR_PROFILE = Command(
    name="profile",
    summary="Your mentor profile, shown to you alone.",
    examples=("mentor profile",),
)

MENTOR_PAUSE = Command(
    name="pause",
    summary="Take no new mentees for a while; offers waiting for you go to another mentor.",
    arguments=(
        Argument("until", "The first date you take mentees again (none: until resume).", Day()),
    ),
    examples=("mentor pause", "mentor pause until:2026-01-07"),
    details="Your current mentees stay yours. `mentor resume` ends a pause early.",
)

MENTOR_RESUME = Command(
    name="resume",
    summary="Take new mentees again after a pause.",
    examples=("mentor resume",),
)

MENTOR_LEAVE = Command(
    name="leave",
    summary="Stop mentoring: your mentees are matched again and your profile is deleted.",
    arguments=(Argument(CONFIRM, "Type confirm to leave at once.", Choice((CONFIRM,))),),
    examples=("mentor leave", "mentor leave confirm"),
    details="Without `confirm` you are asked first. Every open pairing goes back to be "
    "matched with another mentor, and your topics, hours, timezone and intro are deleted.",
)

_MEMBER = Argument("member", "The member, mentioned.", Member(), required=True)

MENTOR_BLOCK = Command(
    name="block",
    summary="Never be paired with this member; nobody else is ever told.",
    arguments=(_MEMBER,),
    examples=("mentor block @member",),
)

MENTOR_UNBLOCK = Command(
    name="unblock",
    summary="Allow pairing with a member you blocked.",
    arguments=(_MEMBER,),
    examples=("mentor unblock @member",),
)

# The profiles side's subcommands; the catalog builds the group with every side's tuple.
MENTOR_PROFILE_COMMANDS: tuple[Command, ...] = (
    MENTOR_SIGNUP,
    MENTOR_EDIT,
    MENTOR_PROFILE,
    MENTOR_PAUSE,
    MENTOR_RESUME,
    MENTOR_LEAVE,
    MENTOR_BLOCK,
    MENTOR_UNBLOCK,
)


def mentor_group(*subcommands: Command) -> Command:
    """Return the `mentor` group holding subcommands (each side of the job adds its own)."""
    return Command(
        name="mentor",
        summary="Mentoring: find a mentor on a topic, or volunteer as one.",
        subcommands=subcommands,
        default="status",
        examples=(
            "mentor request docker my container exits at once and shows no logs",
            "mentor status",
            "mentor signup",
            "mentor pause until:2026-01-07",
        ),
        details="`help mentor <subcommand>` explains one. Your hours and timezone are shown "
        "only to your matches; blocks are never shown to anyone.",
        group="Mentoring",
    )
