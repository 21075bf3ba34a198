"""Each adapter's references: mentions become neutral references, and free text plain text."""

from __future__ import annotations

from bot.adapters.console import CONSOLE_REFERENCES
from bot.adapters.discord.references import DiscordReferences
from bot.adapters.slack.ids import SlackReferences
from bot.core.catalog import COMMANDS
from bot.core.converters import ConvertContext
from bot.core.messages import ChannelRef, MemberRef, Platform, RoleRef
from bot.core.requests import parse_text


def test_discord_mentions_and_plain_text() -> None:
    refs = DiscordReferences({"123": "@ada", "&7": "@Mentors", "#9": "#study"})
    assert refs.member("<@!123>") == MemberRef(Platform.DISCORD, "123", "@ada")
    assert refs.channel("<#9>") == ChannelRef("9")
    assert refs.role("<@&7>") == RoleRef("7") and refs.role("7") == RoleRef("7")
    assert refs.member("@ada") is None
    text = refs.plain("ask <@123> and <@&7> in <#9> <:party:55> <@456> at <t:1700000000:R>")
    assert "<" not in text and ">" not in text
    assert text == "ask @ada and @Mentors in #study :party: @member at a time"


def test_slack_mentions_are_qualified_and_plain_text_has_no_markup() -> None:
    refs = SlackReferences("T1")
    assert refs.member("<@U2|ada>") == MemberRef(Platform.SLACK, "T1:U2", "ada")
    assert refs.channel("<#C3|general>") == ChannelRef("C3", "general")
    assert refs.role("<!subteam^S4|@devs>") == RoleRef("S4", "@devs")
    text = refs.plain("hi <@U2|ada> <@U5> <#C3|general> <!subteam^S4|@devs> <!here> "
                      "<https://example.com|docs> <mailto:a@b.c>")  # fmt: skip
    assert "<" not in text and ">" not in text
    assert text.startswith("hi @ada @member #general @devs @here docs")


def test_console_names_members_by_plain_words_but_never_everyone() -> None:
    assert CONSOLE_REFERENCES.member("@ada") == MemberRef(Platform.CONSOLE, "ada", "ada")
    assert CONSOLE_REFERENCES.member("ada") == MemberRef(Platform.CONSOLE, "ada", "ada")
    assert CONSOLE_REFERENCES.member("@everyone") is None
    assert CONSOLE_REFERENCES.member("<@1>") is None


def test_free_text_arguments_reach_the_core_without_markup() -> None:
    checkin = COMMANDS.get("checkin")
    assert checkin is not None
    values = parse_text(checkin, "30 paired with <@U2|ada> in <#C3|general>",
                        ConvertContext(SlackReferences("T1"))).values  # fmt: skip
    assert values["note"] == "paired with @ada in #general"
