"""Each job wires itself from the shared pieces: its services, handlers and timers."""
