"""Reads that return plain values: the coding frame, extracts, transcripts (and the session's
cache of them), participants, who said what, what a REFI-QDA export is written from."""
