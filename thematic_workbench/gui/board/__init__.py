"""The theme board of phases 3 and 4: theme cards holding code chips, moved by dragging."""
