"""Dockable panels: documents, codes, extracts."""
