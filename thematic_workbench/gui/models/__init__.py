"""Item models over plain values: documents, the coding frame, extracts."""
