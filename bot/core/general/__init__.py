"""General commands: help, timezone and about."""
