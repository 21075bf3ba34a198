"""`prompt preview|skip|post-now|status|history`: what moderators look at and do by hand."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.core.errors import BotError
from bot.core.messages import Field, Reply
from bot.core.ports import Clock
from bot.core.prompts.bank import Prompt
from bot.core.prompts.display import channel_label, local_moment, next_text, state_text
from bot.core.prompts.library import PromptLibrary
from bot.core.prompts.lookup import NoPromptsHere, prompt_channel
from bot.core.prompts.ports import (
    PostState,
    PromptChannel,
    PromptChannelRepository,
    PromptPostRepository,
)
from bot.core.prompts.posting import Preview, PromptPoster
from bot.core.requests import Request

HISTORY_DEFAULT = 10
FAILURES_SINCE = timedelta(days=30)  # `prompt status` counts failed posts of this long
_STATES = {
    PostState.CLAIMED: "being posted",
    PostState.POSTED: "posted",
    PostState.FAILED: "failed",
    PostState.MISSED: "missed",
}


class AlreadyPosted(BotError):
    """Today's prompt is out already: `post-now` never posts a second one."""

    code = "already_posted"


class NotDone(BotError):
    """A moderator's request could not be carried out; the message says why."""

    code = "not_done"


class PromptDesk:
    """Answer the moderators' prompt commands, and `prompt history` for everyone."""

    def __init__(
        self,
        poster: PromptPoster,
        channels: PromptChannelRepository,
        posts: PromptPostRepository,
        prompts: PromptLibrary,
        clock: Clock,
    ) -> None:
        self._poster = poster
        self._channels = channels
        self._posts = posts
        self._prompts = prompts
        self._clock = clock

    async def preview(self, request: Request) -> Reply:
        """Show the next post of the channel named, or of every channel of the community."""
        now, actor = self._clock.now(), request.actor
        if "channel" in request.values:
            channels = [await prompt_channel(self._channels, request)]
        else:
            channels = await self._channels.in_space(actor.platform, actor.space_id)
        if not channels:
            raise NoPromptsHere("No channel of this community has daily prompts yet.",
                                hint="Set one up with `config prompts time:09:00`.")  # fmt: skip
        fields = []
        for channel in channels:
            target = channel.target
            shown = await self._poster.preview(target.platform, target.channel_id, now)
            fields.append(Field(channel_label(target.channel_id), _preview_text(channel, shown)))
        return Reply(title="Next daily prompts", text="What each channel posts next.",
                     fields=tuple(fields), ephemeral=True)  # fmt: skip

    async def skip(self, request: Request) -> Reply:
        """Replace the channel's next prompt with the one after it."""
        channel = await prompt_channel(self._channels, request)
        target = channel.target
        done = await self._poster.skip_next(target.platform, target.channel_id, self._clock.now())
        if done.next is None or done.replaced.prompt is None:
            raise NotDone(f"Nothing skipped: {done.problem or 'no post is scheduled'}.")
        return Reply(
            title=f"Skipped {_title(done.replaced.prompt)}",
            text="It is not used again this cycle.",
            fields=(Field("Next post", _preview_text(channel, done.next)),),
            ephemeral=True,
        )

    async def post_now(self, request: Request) -> Reply:
        """Post the channel's prompt of today now, unless it is posted already."""
        channel = await prompt_channel(self._channels, request)
        target = channel.target
        label = channel_label(target.channel_id)
        done = await self._poster.post_now(target.platform, target.channel_id, self._clock.now())
        day = done.day.isoformat() if done.day else "today"
        if done.already:
            raise AlreadyPosted(f"The prompt of {day} is posted in {label} already; "
                                "there is one a day.")  # fmt: skip
        if done.state is not PostState.POSTED:
            raise NotDone(f"Not posted in {label}: {done.problem or 'it did not go out'}.")
        prompt = await self._prompts.get(target.platform, target.space_id, done.prompt_id)
        return Reply(
            title=f"Posted in {label}",
            text=f"The prompt of {day}: {_title(prompt)}.",
            fields=(Field("Prompt", done.prompt_id or "none"), Field("Day", day)),
            ephemeral=True,
        )

    async def history(self, request: Request) -> Reply:
        """List the community's last posts: day, channel, how each went, the prompt."""
        actor = request.actor
        count = request.get("count", int) or HISTORY_DEFAULT
        past = await self._posts.history(actor.platform, actor.space_id, count)
        lines = []
        for p in past:
            prompt = await self._prompts.get(actor.platform, actor.space_id, p.post.prompt_id)
            lines.append(
                f"{p.post.day.isoformat()} {channel_label(p.channel_id)} "
                f"{_STATES[p.post.state]}: {_title(prompt)} (`{p.post.prompt_id or 'none'}`)"
            )
        text = "\n".join(lines) or "No daily prompt has been posted here yet."
        return Reply(title=f"Last {len(lines)} daily prompts", text=text)

    async def status(self, request: Request) -> Reply:
        """Show each channel: next post, last result, failures, pause, prompts left."""
        actor = request.actor
        channels = await self._channels.in_space(actor.platform, actor.space_id)
        if not channels:
            raise NoPromptsHere("No channel of this community has daily prompts yet.",
                                hint="Set one up with `config prompts time:09:00`.")  # fmt: skip
        fields = [
            Field(channel_label(c.target.channel_id), await self._status(c)) for c in channels
        ]
        return Reply(title="Daily prompts status", text="Every channel of this community.",
                     fields=tuple(fields), ephemeral=True)  # fmt: skip

    async def _status(self, channel: PromptChannel) -> str:
        today = self._clock.now().astimezone(ZoneInfo(channel.schedule.timezone)).date()
        summary = await self._posts.summary(channel.id, today - FAILURES_SINCE)
        left = await self._poster.pool_left(channel)
        last = summary.last
        lines = [
            f"next post: {next_text(channel)}",
            "last post: " + (f"{last.day.isoformat()} {_STATES[last.state]}" if last else "none"),
            f"failed in the last {FAILURES_SINCE.days} days: {summary.failed}",
            f"prompts left this cycle: {left.left} of {left.size}",
        ]
        if last is not None and last.last_error:
            lines[1] += f" ({last.last_error})"
        if left.low:
            lines.append("warning: the pool repeats soon; widen the difficulty or topics")
        if state_text(channel):
            lines.append(f"state: {state_text(channel)}")
        return "\n".join(lines)


def _preview_text(channel: PromptChannel, shown: Preview) -> str:
    if shown.day is None or shown.due is None:
        return shown.problem or "no post scheduled"
    when = local_moment(shown.due, channel.schedule.timezone)
    if shown.prompt is None:
        return f"{when}: no prompt ({shown.problem or 'none matches'})"
    return f"{when}: {_title(shown.prompt)} (`{shown.prompt.id}`)"


def _title(prompt: Prompt | None) -> str:
    return prompt.title if prompt is not None else "no prompt"
