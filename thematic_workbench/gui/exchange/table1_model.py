"""Table 1 as the preview shows it: plain texts, each theme once, at the top of its span."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from thematic_workbench.core.reports.table1 import Span, Table1
from thematic_workbench.gui.common.table import RowsTableModel

AnyIndex = QModelIndex | QPersistentModelIndex


class Table1Model(RowsTableModel):
    """Rows of (code, theme, theme) text; ``spans`` says which cells the view merges."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[list[str]] = []
        self.HEADERS = ()
        self.spans: list[tuple[int, Span]] = []  # (column, span)

    def set_table(self, table: Table1) -> None:
        self.beginResetModel()
        self.HEADERS = table.headers
        self._rows = [[table.code_text(row)] + [""] * (len(table.headers) - 1)
                      for row in table.rows]
        self.spans = []
        for column, spans in enumerate(table.theme_columns(), start=1):
            for span in spans:
                self._rows[span.first][column] = span.text
                self.spans.append((column, span))
        self.endResetModel()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index)
        if row is None or not 0 <= index.column() < len(self.HEADERS):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return row[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None
