"""Storage of the mentoring job: profiles and blocks; requests, offers, pairings."""
