"""The reflective diary: its panel, entry widgets, model and undo commands."""
