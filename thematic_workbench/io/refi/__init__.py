"""REFI-QDA exchange: codebooks (.qdc) and projects (.qdpx), read and written."""
