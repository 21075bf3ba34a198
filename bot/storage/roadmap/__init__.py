"""Storage of the roadmap job: progress and resource feedback."""
