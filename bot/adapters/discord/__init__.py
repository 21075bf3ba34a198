"""The Discord adapter: slash commands, mentions and DMs through discord.py."""
