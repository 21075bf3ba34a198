"""Storage of the mentoring job: mentors' profiles and their topics, and members' blocks."""
