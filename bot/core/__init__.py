"""Platform-neutral domain and use cases; imports only the standard library."""
