"""Transcripts in the window: the documents panel and model, importing, speakers, and the
undo commands of documents."""
