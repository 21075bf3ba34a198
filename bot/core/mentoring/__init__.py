"""The mentoring job's pure core: weekly hours, fit scores and optimal matching."""
