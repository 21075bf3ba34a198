"""Storage of the study job: learning events, totals, leaderboards and reminders."""
