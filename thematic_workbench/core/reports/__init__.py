"""The report models, as plain data: analysis builds them from the store, io writes them
to files and the window shows them. Frozen dataclasses, their constants and small pure
helpers about them; no Session, no files, no Qt."""
