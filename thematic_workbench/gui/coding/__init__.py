"""Coding in the window: the controller behind the Code menu and keys 1-9, its undo
commands, the quick-code box, the codes panel and its model."""
