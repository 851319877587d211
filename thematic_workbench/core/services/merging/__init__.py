"""The steps of a merge (core/services/merge.py), by what they bring: the shared state and
bookkeeping, people and transcripts, the coding frame, and what is written on the text."""
