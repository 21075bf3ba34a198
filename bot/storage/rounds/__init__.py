"""Pairing rounds in SQL: channels, members, rounds with their outcomes, heads-ups, blocks."""
