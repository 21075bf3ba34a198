"""The mentoring job: mentor profiles and blocks, weekly hours, fit scores, optimal matching."""
