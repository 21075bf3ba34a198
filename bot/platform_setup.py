"""Platform adapters built from the settings, and what the core may reach through them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, TypeVar

from bot.config import Settings
from bot.core.catalog import COMMANDS
from bot.core.messages import Platform
from bot.core.ports import MembershipCheck, ModeratorNotifier, Notifier, Reach, RoleGranter
from bot.core.prompts.ports import PromptPublisher
from bot.core.timezones import matching_timezones
from bot.core.topics import TopicResolver
from bot.platforms import StartupError

# discord.py and slack-bolt cost a second or more of CPU to import: each is imported only
# when its adapter is built, so the terminal chat and `ask` never load them.
if TYPE_CHECKING:
    from bot.adapters.discord.client import DiscordAdapter
    from bot.adapters.discord.commands import Completer
    from bot.adapters.slack.adapter import SlackAdapter

    Adapter = DiscordAdapter | SlackAdapter

T = TypeVar("T")


def discord_adapter(
    settings: Settings, sync_guild_id: int | None = None, guild_ready_timeout: float = 2.0
) -> DiscordAdapter:
    """Build the Discord adapter from the settings (it starts serving with run())."""
    from bot.adapters.discord.client import DiscordAdapter, DiscordOptions

    if settings.discord_token is None:
        raise StartupError("BOT_DISCORD_TOKEN is not set")
    options = DiscordOptions(
        token=settings.discord_token.get_secret_value(),
        api_base=settings.discord_api_base,
        gateway_url=settings.discord_gateway_url,
        moderator_role=settings.discord_moderator_role,
        sync_guild_id=sync_guild_id,
        sync_state_file=settings.data_dir / "discord_commands.json",
        message_content=settings.discord_message_content,
        guild_ready_timeout=guild_ready_timeout,
        requests_per_second=settings.discord_requests_per_second,
    )
    return DiscordAdapter(options, COMMANDS)


SUGGESTION_LIMIT = 100  # characters of an autocomplete choice's name and value on Discord


def completers(topics: TopicResolver) -> dict[str, Completer]:
    """Return the autocomplete sources platforms offer for command arguments."""
    return {
        "topic": lambda text: [(t.name, t.id) for t in topics.complete(text)],
        "topics": lambda text: complete_topic_list(topics, text),
        "timezone": lambda text: [(name, name) for name in matching_timezones(text)],
        "command": lambda text: [
            (name, name) for name in command_names() if name.startswith(text.casefold().strip())
        ],
    }


def complete_topic_list(topics: TopicResolver, text: str) -> list[tuple[str, str]]:
    """Return lists of topics that keep what is typed and complete its last item."""
    done, _, last = text.rpartition(",")
    kept = [part.strip() for part in done.split(",") if part.strip()]
    head = ", ".join(kept)
    found = []
    for topic in topics.complete(last):
        if topic.id in kept:
            continue
        value = f"{head}, {topic.id}" if head else topic.id
        if len(value) <= SUGGESTION_LIMIT:  # Discord's; a cut list would name another topic
            found.append((f"{head}, {topic.name}" if head else topic.name, value))
    return found


def command_names() -> list[str]:
    """Return every command's full name and alias: `config`, `config streaks`, `tz`."""
    names = [path.key for path in COMMANDS.paths()]
    return names + [alias for command in COMMANDS for alias in command.aliases]


def slack_adapter(settings: Settings) -> SlackAdapter:
    """Build the Slack adapter from the settings (it starts serving with run())."""
    from bot.adapters.slack.adapter import SlackAdapter, SlackOptions

    if settings.slack_bot_token is None:
        raise StartupError("BOT_SLACK_BOT_TOKEN is not set")
    app_token = settings.slack_app_token.get_secret_value() if settings.slack_app_token else None
    mode = settings.slack_mode
    if mode == "auto":
        mode = "socket" if app_token else "http"
    secret = settings.slack_signing_secret
    if mode == "http" and secret is None:
        raise StartupError("Slack HTTP mode needs BOT_SLACK_SIGNING_SECRET")
    if mode == "socket" and app_token is None:
        raise StartupError("Slack Socket Mode needs BOT_SLACK_APP_TOKEN")
    options = SlackOptions(
        bot_token=settings.slack_bot_token.get_secret_value(),
        signing_secret=secret.get_secret_value() if secret else None,
        app_token=app_token,
        api_base=settings.slack_api_base,
        mode=mode,
        host=settings.slack_host,
        port=settings.slack_port,
        path=settings.slack_path,
        command=settings.slack_command,
        moderator_group=settings.slack_moderator_group,
    )
    return SlackAdapter(options, COMMANDS)


def reach_of(adapters: Sequence[Adapter]) -> Reach:
    """Return the notifiers, moderator notices, membership checks (and Discord's role granter).

    An adapter whose run() has ended (say, Discord refused its token while Slack serves on)
    drops out of both, so no reminder is claimed for a DM that cannot be sent.
    """
    notifiers: dict[Platform, tuple[Adapter, Notifier]] = {}
    granters: dict[Platform, tuple[Adapter, RoleGranter]] = {}
    moderators: dict[Platform, tuple[Adapter, ModeratorNotifier]] = {}
    members: dict[Platform, tuple[Adapter, MembershipCheck]] = {}
    for adapter in adapters:
        members[adapter.platform] = (adapter, adapter.membership)
        if adapter.platform is Platform.DISCORD:  # no isinstance: discord.py stays unloaded
            notifiers[Platform.DISCORD] = granters[Platform.DISCORD] = (adapter, adapter.notifier)
            moderators[Platform.DISCORD] = (adapter, adapter.notifier)
        else:
            notifiers[Platform.SLACK] = moderators[Platform.SLACK] = (adapter, adapter.notifier)
    return Reach(
        WhileRunning(notifiers),
        WhileRunning(granters),
        WhileRunning(moderators),
        WhileRunning(members),
    )


def publishers_of(adapters: Sequence[Adapter]) -> Mapping[Platform, PromptPublisher]:
    """Return the daily-prompt publishers of the adapters this process runs.

    Like reach_of, an adapter that has stopped drops out: its channels are not looked at
    (and no retry is spent on them) until a process that serves the platform runs.
    """
    offers: dict[Platform, tuple[Adapter, PromptPublisher]] = {
        adapter.platform: (adapter, adapter.prompt_publisher) for adapter in adapters
    }
    return WhileRunning(offers)


class WhileRunning(Mapping[Platform, T]):
    """Platform -> what an adapter offers, for the adapters whose run() has not ended."""

    def __init__(self, offers: Mapping[Platform, tuple[Adapter, T]]) -> None:
        self._offers = dict(offers)

    def __getitem__(self, platform: Platform) -> T:
        adapter, offer = self._offers[platform]
        if adapter.ended:
            raise KeyError(platform)
        return offer

    def __iter__(self) -> Iterator[Platform]:
        return (platform for platform, (adapter, _) in self._offers.items() if not adapter.ended)

    def __len__(self) -> int:
        return sum(1 for _ in self)
