"""Pairing rounds, Donut-style: members of a channel opt in and are paired on a schedule."""
