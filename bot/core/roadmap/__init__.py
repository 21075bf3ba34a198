"""The roadmap job: questions answered from the articles, the path, progress and resources."""
