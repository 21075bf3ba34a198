"""Storage of the daily-prompts job: the prompt bank read from roadmap_data/prompts/."""
