"""Platform adapters: turn platform input into core calls and render the core's replies."""
