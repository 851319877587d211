"""Pure analysis functions over the project store. Never imports Qt."""
