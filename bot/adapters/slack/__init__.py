"""The Slack adapter: one slash command, mentions, DMs, buttons and App Home via slack-bolt."""
