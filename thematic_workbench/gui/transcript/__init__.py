"""The transcript view: stable line numbers, speaker turns, coded spans, coding stripes.

``view.TranscriptView`` is the widget the main window uses; the other modules are its
parts (editor, gutter, stripe margin, highlighter, find bar) and their plain helpers.
"""
