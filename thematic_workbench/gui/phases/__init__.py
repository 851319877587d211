"""The six phases in the window: the strip, moving between phases, the checklist."""
