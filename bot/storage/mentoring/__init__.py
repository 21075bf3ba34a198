"""Storage of the mentoring job: mentor requests, offers, pairings and follow-ups."""
