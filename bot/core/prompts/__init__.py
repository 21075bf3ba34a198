"""The daily-prompts job: one coding prompt a day per study channel, from a validated bank."""
