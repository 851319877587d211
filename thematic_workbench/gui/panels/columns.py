"""The column helpers, where the panels and views that use them still import them; they
live in gui/columns.py, which the review views import without importing the panels."""

from thematic_workbench.gui.columns import (
    PADDING,
    RememberedWidths,
    fit_to_texts,
    fix_widths,
    header_of,
    row_table,
    widest,
)

__all__ = ["PADDING", "RememberedWidths", "fit_to_texts", "fix_widths", "header_of",
           "row_table", "widest"]
