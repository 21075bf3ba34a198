from bot.adapters.discord.render import neutralize_mentions as discord_safe
from bot.adapters.slack.render import neutralize_mentions as slack_safe


def test_discord_keeps_words_but_not_pings() -> None:
    text = discord_safe("hey @everyone and @here, <@&42>")
    assert "@everyone" not in text and "@here" not in text and "<@&" not in text
    assert "everyone" in text and "a role" in text


def test_slack_keeps_words_but_not_pings() -> None:
    text = slack_safe("hey @everyone <!here> <!channel|channel> <!subteam^S1|devs>")
    assert "@everyone" not in text and "<!here>" not in text and "<!channel" not in text
    assert "<!subteam" not in text and "everyone" in text and "a group" in text
