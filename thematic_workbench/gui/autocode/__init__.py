"""Autocoding in the window: a preview of what a search or a speaker's turns would code, then
one undoable step."""
