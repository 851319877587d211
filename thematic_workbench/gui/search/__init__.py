"""The Search tab: the project-wide search and its keyword-in-context hits."""
