"""The study job: check-ins, streaks, leaderboards, reminders and the streak settings."""
