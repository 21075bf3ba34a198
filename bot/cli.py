"""The command line: thin wrappers that load settings and hand over to bot.app."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot import version

if TYPE_CHECKING:
    from bot.app import BotContext
    from bot.config import Settings
    from bot.core.messages import Platform
    from bot.core.ports import Reach
    from bot.core.prompts.ports import PromptPublisher

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAILURE, EXIT_BAD_CONFIG = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    """Return the parser for `roadmap-bot`."""
    parser = argparse.ArgumentParser(
        prog="roadmap-bot",
        description="A study companion for people becoming backend developers, "
        "on Discord, Slack and the terminal.",
        epilog="Settings come from BOT_* environment variables or a .env file (see .env.example).",
    )
    parser.add_argument("--version", action=_VersionAction, help="show the version and exit")
    _add_logging_options(parser, default=None)
    # Subcommands take the same options, so `roadmap-bot run --log-level debug` works too;
    # SUPPRESS keeps a subcommand from resetting what was given before it.
    common = argparse.ArgumentParser(add_help=False)
    _add_logging_options(common, default=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser(
        "run",
        parents=[common],
        help="start every adapter whose credentials are configured (the console when none)",
        description="Start the bot on every platform whose credentials are set; with no "
        "platform tokens, start the terminal chat (or, when BOT_REQUIRE_PLATFORM is set, as in "
        "the Docker image, stop with a line naming the tokens to set).",
    )
    run.add_argument(
        "--guild",
        type=int,
        metavar="ID",
        help="sync Discord slash commands to this one server (instant; for development)",
    )
    invite = commands.add_parser(
        "discord-invite",
        parents=[common],
        help="print the link that adds the bot to a Discord server",
        description="Print the OAuth2 link that adds the bot to a server with the permissions "
        "it needs (slash commands, messages, threads, embeds, files, roles).",
    )
    invite.add_argument("--application-id", type=int, help="default: read from the token")
    chat = commands.add_parser(
        "chat",
        parents=[common],
        help="chat with the bot in this terminal",
        description="Chat with the bot in this terminal, with line editing and history.",
    )
    chat.add_argument("--user", default=None, help="act as this user (default: your login)")
    chat.add_argument("--moderator", action="store_true", help="act with moderator rights")
    chat.add_argument(
        "--json",
        action="store_true",
        help="read one line at a time from stdin, write one JSON object per line",
    )
    ask = commands.add_parser(
        "ask",
        parents=[common],
        help="answer a roadmap question (no database needed)",
        description="Answer a question about becoming a backend developer from the roadmap "
        "knowledge base. With --json and no question, read one question per line from stdin "
        'and write one JSON object per line: {"question", "answer", "topics", "sources", '
        '"confident"}.',
    )
    ask.add_argument("question", nargs="*", help="the question (quote it or not)")
    ask.add_argument("--json", action="store_true", help="write JSON (read stdin if no question)")
    commands.add_parser(
        "migrate",
        parents=[common],
        help="apply database migrations",
        description="Bring the database schema up to date (start-up also does this).",
    )
    check = commands.add_parser(
        "check-config",
        parents=[common],
        help="validate settings and say what would start",
        description="Validate the settings and say which adapters `run` would start.",
    )
    check.add_argument("--ping", action="store_true", help="also connect to the database")
    return parser


class _VersionAction(argparse.Action):
    """Print the version; looked up only when asked, to keep start-up fast."""

    def __init__(self, option_strings: list[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *args: object, **kwargs: object) -> None:
        print(f"roadmap-bot {version()}")
        parser.exit()


def _add_logging_options(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--log-level",
        type=str.upper,
        choices=["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"],
        default=default,
        help="override BOT_LOG_LEVEL",
    )
    parser.add_argument(
        "--log-json",
        action="store_true",
        default=default if default is argparse.SUPPRESS else False,
        help="log JSON lines (for servers)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit code."""
    parser = build_parser()
    options = parser.parse_args(argv)
    if options.command is None:
        parser.print_help()
        return EXIT_OK
    # Imported here so that `--help` stays instant: these pull in SQLAlchemy and pydantic.
    from bot.config import SettingsError, load_settings
    from bot.logs import configure_logging
    from bot.platforms import PlatformsStopped, StartupError, platforms_to_start

    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"roadmap-bot: {error}", file=sys.stderr)
        return EXIT_BAD_CONFIG
    interactive = options.command == "chat" or (
        options.command == "run"
        and not platforms_to_start(settings)[0]
        and not settings.require_platform
    )
    configure_logging(
        options.log_level or settings.log_level,
        json_lines=options.log_json or settings.log_json,
        # A terminal chat keeps its screen clean: logs go to a file under the data folder.
        file=settings.data_dir / "logs" / "roadmap-bot.log" if interactive else None,
    )
    runners = {
        "run": _run,
        "discord-invite": _discord_invite,
        "chat": _chat_json,
        "ask": _ask,
        "migrate": _migrate,
        "check-config": _check_config,
    }
    from bot.storage.content import ContentError

    try:
        if interactive and not getattr(options, "json", False):
            return _chat_prompt(settings, options)
        return asyncio.run(runners[options.command](settings, options))
    except (StartupError, PlatformsStopped) as error:
        print(f"roadmap-bot: {error}", file=sys.stderr)
        return EXIT_FAILURE
    except ContentError as error:  # BOT_CONTENT_DIR (or the shipped folder) is broken
        print(f"roadmap-bot: content: {error}", file=sys.stderr)
        return EXIT_BAD_CONFIG
    except KeyboardInterrupt:
        return EXIT_OK
    except BrokenPipeError:  # `roadmap-bot ... | head`: the reader left, nothing to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILURE


async def _run(settings: Settings, options: argparse.Namespace) -> int:
    from bot.platforms import platforms_to_start

    ready, unavailable = platforms_to_start(settings)
    for platform in unavailable:
        log.warning("%s credentials are set, but this build has no %s adapter", platform, platform)
    if not ready:  # with tokens missing, main() starts the terminal chat unless this is set
        print(f"roadmap-bot: {_no_platform_hint(settings)}", file=sys.stderr)
        # Exit 0 on purpose: the compose file restarts the bot only on failure, so a missing
        # token stops the container once instead of restarting it in a loop.
        return EXIT_OK
    from bot.app import run_platforms

    await run_platforms(settings, ready, options.guild)
    return EXIT_OK


def _no_platform_hint(settings: Settings) -> str:
    """Return one line saying which tokens `run` needs when it may not start the console."""
    slack = (
        " BOT_SLACK_BOT_TOKEN with BOT_SLACK_APP_TOKEN (Socket Mode) or BOT_SLACK_SIGNING_SECRET "
        "(HTTP mode) for Slack"
    )
    if settings.slack_bot_token is not None:
        slack = (
            ", for Slack, BOT_SLACK_APP_TOKEN (Socket Mode) or BOT_SLACK_SIGNING_SECRET (HTTP "
            "mode) beside the BOT_SLACK_BOT_TOKEN already set"
        )
    return (
        "no chat platform is configured, and BOT_REQUIRE_PLATFORM is on (as in the Docker "
        f"image), so the terminal chat does not start: set BOT_DISCORD_TOKEN for Discord, or"
        f"{slack} (in .env, see .env.example), then start the bot again"
    )


async def _discord_invite(settings: Settings, options: argparse.Namespace) -> int:
    from bot.adapters.discord.invite import application_id_from_token, invite_url

    app_id = options.application_id or settings.discord_application_id
    if app_id is None and settings.discord_token is not None:
        app_id = application_id_from_token(settings.discord_token.get_secret_value())
        if app_id is None:  # the token itself is never echoed
            print(
                "roadmap-bot: BOT_DISCORD_TOKEN is malformed (its first part should be the "
                "application id); copy the token again, or set BOT_DISCORD_APPLICATION_ID",
                file=sys.stderr,
            )
            return EXIT_BAD_CONFIG
    if app_id is None:
        print(
            "roadmap-bot: set BOT_DISCORD_TOKEN or BOT_DISCORD_APPLICATION_ID, or pass "
            "--application-id",
            file=sys.stderr,
        )
        return EXIT_BAD_CONFIG
    print(invite_url(app_id))
    return EXIT_OK


async def _chat_json(settings: Settings, options: argparse.Namespace) -> int:
    from bot.adapters.console import ConsoleAdapter, console_actor
    from bot.app import open_bot

    user = options.user or _login_name()
    async with open_bot(
        settings,
        reach=_console_reach(json_lines=True),
        prompt_publishers=_console_prompts(json_lines=True),
    ) as bot:
        console = ConsoleAdapter(
            bot.dispatcher.handle, console_actor(user, moderator=options.moderator)
        )
        await console.run_json(sys.stdin.buffer, sys.stdout)
    return EXIT_OK


def _console_prompts(*, json_lines: bool = False) -> dict[Platform, PromptPublisher]:
    """Return the console's prompt publisher: `prompt post-now` prints the prompt here."""
    from bot.adapters.console_prompts import ConsolePromptPublisher
    from bot.core.messages import Platform

    return {Platform.CONSOLE: ConsolePromptPublisher(sys.stdout, json_lines=json_lines)}


def _console_reach(*, json_lines: bool = False) -> Reach:
    """Return the console's Reach: a DM to a console member is printed, marked private."""
    from bot.adapters.console_notifier import ConsoleNotifier
    from bot.core.messages import Platform
    from bot.core.ports import Reach

    return Reach(notifiers={Platform.CONSOLE: ConsoleNotifier(sys.stdout, json_lines=json_lines)})


CHAT_TIMERS = ("daily-prompts",)


async def _start_timers(bot: BotContext, names: Sequence[str]) -> None:
    """Start the named timers on the bot's loop (APScheduler needs it running)."""
    bot.start_timers(names)


def _chat_prompt(settings: Settings, options: argparse.Namespace) -> int:
    """Chat at a prompt: input() in the main thread (where Ctrl-C lands), the bot beside it."""
    from contextlib import AsyncExitStack

    from bot.adapters.console import ConsoleAdapter, console_actor
    from bot.app import open_bot
    from bot.background_loop import BackgroundLoop
    from bot.core.catalog import COMMANDS

    # `run` without platform tokens comes here too, without chat's options.
    user = getattr(options, "user", None) or _login_name()
    moderator = getattr(options, "moderator", False)
    with BackgroundLoop() as loop:
        opened = AsyncExitStack()
        try:
            bot = loop.run(
                opened.enter_async_context(
                    open_bot(settings, reach=_console_reach(), prompt_publishers=_console_prompts())
                )
            )
            console = ConsoleAdapter(
                bot.dispatcher.handle, console_actor(user, moderator=moderator), COMMANDS.complete
            )
            # The console's daily prompt is printed at its time, as a channel's would be posted
            # (the catch-up at start too); the other timers belong to a long-running bot.
            loop.run(_start_timers(bot, CHAT_TIMERS))
            console.run_prompt(loop.run, settings.data_dir / "chat_history", sys.stdout)
        finally:
            loop.run(opened.aclose())  # pending writes drained, engine closed, in order
    return EXIT_OK


async def _ask(settings: Settings, options: argparse.Namespace) -> int:
    import json

    from bot.answering import build_answerer

    _, _, answerer = build_answerer(settings)
    question = " ".join(options.question)

    def record(text: str) -> str:
        answer = answerer.answer(text)
        return json.dumps(
            {
                "question": text,
                "answer": answer.text,
                "topics": list(answer.topics),
                "sources": [
                    {"id": s.id, "title": s.title, "site": s.site, "url": s.url}
                    for s in answer.sources
                ],
                "confident": answer.confident,
            },
            ensure_ascii=False,
        )

    if question:
        if options.json:
            print(record(question))
        else:
            from bot.adapters.terminal_markup import render_markdown, wants_ansi

            text = answerer.answer(question).text
            print(render_markdown(text, ansi=wants_ansi(sys.stdout)))
        return EXIT_OK
    if not options.json:
        print(
            "roadmap-bot: ask needs a question (or --json to read questions from stdin)",
            file=sys.stderr,
        )
        return EXIT_BAD_CONFIG
    for raw in sys.stdin.buffer:
        line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        sys.stdout.write(record(line) + "\n")
        sys.stdout.flush()
    return EXIT_OK


async def _migrate(settings: Settings, options: argparse.Namespace) -> int:
    from bot.app import open_engine, upgrade_database

    async with open_engine(settings) as engine:
        revisions = await upgrade_database(engine, settings)
    before, after = revisions.before, revisions.after
    state = "already up to date" if before == after else f"migrated from {before or 'empty'}"
    print(f"database {settings.database_url_for_display()}: revision {after} ({state})")
    return EXIT_OK


async def _check_config(settings: Settings, options: argparse.Namespace) -> int:
    from bot.answering import content_dir
    from bot.app import open_engine
    from bot.platforms import platforms_to_start
    from bot.storage.content import load_knowledge, load_vocabulary
    from bot.storage.prompts.bank import load_prompts

    ready, unavailable = platforms_to_start(settings)
    folder = content_dir(settings)
    knowledge = load_knowledge(folder)  # a ContentError names the file and line; main says it
    load_vocabulary(folder)
    prompts = load_prompts(folder, [topic.id for topic in knowledge.topics])
    print("settings: OK")
    print(f"content: {folder} (valid; {len(prompts)} daily prompts)")
    print(f"database: {settings.database_url_for_display()}")
    for name in ("discord_token", "slack_bot_token", "slack_signing_secret", "slack_app_token"):
        state = "set (hidden)" if getattr(settings, name) is not None else "not set"
        print(f"  BOT_{name.upper()}: {state}")
    for platform in unavailable:
        print(f"warning: {platform} credentials are set, but this build has no {platform} adapter")
    if ready:
        starts = ", ".join(ready)
    elif settings.require_platform:
        starts = "nothing (no platform tokens set, and BOT_REQUIRE_PLATFORM keeps the console off)"
    else:
        starts = "console (no platform tokens set)"
    print(f"run would start: {starts}")
    if options.ping:
        from bot.storage import migrate

        async with open_engine(settings) as engine:
            problem = await migrate.schema_problem(engine)
            revision = await migrate.current_revision(engine)
        if problem is not None:
            print(
                f"roadmap-bot: database {settings.database_url_for_display()}: {problem}",
                file=sys.stderr,
            )
            return EXIT_BAD_CONFIG
        print(f"database: reachable ({f'revision {revision}' if revision else 'empty'})")
    return EXIT_OK


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, as in some containers
        return os.environ.get("USER", "you")
