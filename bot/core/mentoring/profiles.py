"""`mentor signup|edit|profile|pause|resume|leave`: a mentor's own profile.

Every reply is private (it holds hours and a timezone). Pausing and leaving hand the
mentor's work back to the requests side (Handback) so no learner is silently dropped:
pending offers on a pause, active pairings too on leave.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bot.core.errors import BotError, UsageError
from bot.core.knowledge import KnowledgeBase
from bot.core.members import member_key
from bot.core.mentoring.blocks import MentorBlockDesk
from bot.core.mentoring.commands import CONFIRM
from bot.core.mentoring.ports import (
    DEFAULT_CAPACITY,
    Handback,
    MentorKey,
    MentorProfile,
    MentorProfiles,
)
from bot.core.mentoring.profile_input import ProfileInput, check_hours, read_input, usage_of
from bot.core.mentoring.profile_view import pause_text, profile_fields
from bot.core.messages import Actor, Button, Reply
from bot.core.ports import Clock, MemberRepository, SpaceRepository
from bot.core.requests import Request
from bot.core.router import Handler

log = logging.getLogger(__name__)

FOREVER = date.max  # paused_until for a pause without an end
LEAVING = "leaving"  # the pause reason while a leaving mentor's work is handed back


class NotAMentor(BotError):
    """The member has no mentor profile in this community."""

    code = "not_mentor"

    def __init__(self) -> None:
        super().__init__("You are not a mentor here.", hint="Volunteer with `mentor signup`.")


class AlreadyAMentor(BotError):
    """The member signed up already: edit changes a profile."""

    code = "already_mentor"

    def __init__(self) -> None:
        super().__init__(
            "You are a mentor here already.",
            hint="Change your profile with `mentor edit`; `mentor profile` shows it.",
        )


def mentor_key(actor: Actor) -> MentorKey:
    """Return the mentor identity of the person behind actor, in their community."""
    return MentorKey(actor.platform, actor.space_id, actor.user_id)


class MentorDesk:
    """Answer a mentor's profile commands; storage and the requests side are ports."""

    def __init__(
        self,
        profiles: MentorProfiles,
        handback: Handback,
        knowledge: KnowledgeBase,
        members: MemberRepository,
        spaces: SpaceRepository,
        clock: Clock,
    ) -> None:
        self._profiles = profiles
        self._handback = handback
        self._knowledge = knowledge
        self._members = members
        self._spaces = spaces
        self._clock = clock

    async def signup(self, request: Request) -> Reply:
        """Create the actor's profile from checked values; refuse a second signup."""
        actor, usage = request.actor, usage_of(request)
        given = read_input(request, self._knowledge)
        key = mentor_key(actor)
        if await self._profiles.get(key) is not None:
            raise AlreadyAMentor
        timezone, source = await self._timezone_of(actor, given, usage)
        if given.topics is None or given.level is None or given.hours is None:
            raise UsageError("Give your topics, experience and hours.", usage=usage)
        check_hours(given.hours, timezone, usage)
        profile = await self._profiles.save(
            MentorProfile(
                key=key,
                display_name=actor.display_name,
                topics=given.topics,
                level=given.level,
                timezone=timezone,
                hours=given.hours,
                capacity=given.capacity or DEFAULT_CAPACITY,
                intro=given.intro or "",
                joined_at=self._clock.now(),
            )
        )
        log.info("mentor signed up in %s/%s", key.platform.value, key.space_id)
        return Reply(
            title="You are a mentor now",
            text=f"Thank you! Your hours are read in {timezone} ({source}). Change anything "
            "with `mentor edit`, take a break with `mentor pause`.",
            fields=profile_fields(profile, self._knowledge, self._today(profile)),
            ephemeral=True,
        )

    async def edit(self, request: Request) -> Reply:
        """Change what the request gives; keep the rest, the pause and the counters."""
        usage = usage_of(request)
        given = read_input(request, self._knowledge)
        old = await self._profile(request.actor)
        if given.empty:
            raise UsageError("Give what changes, e.g. `mentor edit capacity:3`.", usage=usage)
        timezone = given.timezone or old.timezone
        hours = given.hours or old.hours
        if given.hours is not None or given.timezone is not None:
            check_hours(hours, timezone, usage)
        profile = await self._profiles.save(
            replace(
                old,
                display_name=request.actor.display_name,
                topics=given.topics if given.topics is not None else old.topics,
                level=given.level if given.level is not None else old.level,
                timezone=timezone,
                hours=hours,
                capacity=given.capacity if given.capacity is not None else old.capacity,
                intro=given.intro if given.intro is not None else old.intro,
            )
        )
        return Reply(
            title="Mentor profile saved",
            text="Your changes count for the next match.",
            fields=profile_fields(profile, self._knowledge, self._today(profile)),
            ephemeral=True,
        )

    async def profile(self, request: Request) -> Reply:
        """Show the actor their own profile, privately."""
        profile = await self._profile(request.actor)
        return Reply(
            title="Your mentor profile",
            text="Only you see this; your matches see your hours and timezone.",
            fields=profile_fields(profile, self._knowledge, self._today(profile)),
            ephemeral=True,
        )

    async def pause(self, request: Request) -> Reply:
        """Pause until a future date (or until resume); pending offers go to other mentors."""
        profile = await self._profile(request.actor)
        back = request.get("until", date)
        today = self._today(profile)
        if back is not None and back <= today:
            raise UsageError(
                f"Give a date after today ({today.isoformat()} for you), or none to pause "
                "until `mentor resume`.",
                usage=usage_of(request),
                argument="until",
            )
        through = FOREVER if back is None else back - timedelta(days=1)
        await self._profiles.set_pause(profile.key, through, None)
        handed = await self._handback.release(profile.key, active_too=False)
        paused = replace(profile, paused_until=through, paused_reason=None)
        moved = f" {_requests(handed)} waiting for you went to other mentors." if handed else ""
        return Reply(
            title="Mentoring paused",
            text=f"You are {pause_text(paused, today)}. Your current mentees stay yours.{moved}",
            ephemeral=True,
        )

    async def resume(self, request: Request) -> Reply:
        """End a pause: new mentees may be offered again."""
        profile = await self._profile(request.actor)
        if not profile.paused_on(self._today(profile)):
            return Reply(
                title="Not paused", text="You are taking new mentees already.", ephemeral=True
            )
        await self._profiles.set_pause(profile.key, None, None)
        return Reply(title="Welcome back", text="You are taking new mentees again.", ephemeral=True)

    async def leave(self, request: Request) -> Reply:
        """Ask first; when confirmed, hand every open pairing back and delete the profile."""
        profile = await self._profile(request.actor)
        if request.text(CONFIRM) != CONFIRM:
            return Reply(
                title="Leave mentoring?",
                text="Your open pairings go back to be matched with another mentor, and your "
                "profile (topics, hours, timezone, intro) is deleted. This cannot be undone; "
                "`mentor pause` is the gentler way to take a break.",
                buttons=(Button("Yes, leave", command=f"mentor leave {CONFIRM}"),),
                ephemeral=True,
            )
        # Paused first: an offer is made only to a mentor not paused (checked under a lock on
        # the profile row), so no process can offer them a request once the hand-back ran.
        await self._profiles.set_pause(profile.key, FOREVER, LEAVING)
        # Hand back next: should that fail, the profile stays and leaving can be retried.
        handed = await self._handback.release(profile.key, active_too=True)
        await self._profiles.remove(profile.key)
        moved = f" {_requests(handed)} went back to be matched again." if handed else ""
        return Reply(
            title="You left mentoring",
            text=f"Thank you for your help. Your profile is deleted.{moved}",
            ephemeral=True,
        )

    async def _profile(self, actor: Actor) -> MentorProfile:
        profile = await self._profiles.get(mentor_key(actor))
        if profile is None:
            raise NotAMentor
        return profile

    async def _timezone_of(self, actor: Actor, given: ProfileInput, usage: str) -> tuple[str, str]:
        """Return the timezone to read hours in and where it came from; refuse when none."""
        if given.timezone is not None:
            return given.timezone, "as you gave it"
        member = await self._members.get(member_key(actor))
        if member is not None and member.timezone:
            return member.timezone, "your saved timezone"
        space = await self._spaces.get(actor.platform, actor.space_id)
        if space is not None and space.default_timezone:
            return space.default_timezone, "this community's timezone"
        raise UsageError(
            "Which timezone are your hours in? Give `timezone:Region/City`, or save yours "
            "first with `timezone Region/City`.",
            usage=usage,
            argument="timezone",
        )

    def _today(self, profile: MentorProfile) -> date:
        """Return the mentor's local date: pauses end at their midnight."""
        return self._clock.now().astimezone(ZoneInfo(profile.timezone)).date()


def _requests(count: int) -> str:
    return "1 request" if count == 1 else f"{count} requests"


def profile_handlers(desk: MentorDesk, blocks: MentorBlockDesk) -> dict[str, Handler]:
    """Return the profiles side's handlers by full command name."""
    return {
        "mentor signup": desk.signup,
        "mentor edit": desk.edit,
        "mentor profile": desk.profile,
        "mentor pause": desk.pause,
        "mentor resume": desk.resume,
        "mentor leave": desk.leave,
        "mentor block": blocks.block,
        "mentor unblock": blocks.unblock,
    }
