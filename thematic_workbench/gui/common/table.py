"""The flat tables of the window: plain row values under fixed column headers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, Qt

from thematic_workbench.gui.common.tree import _ROOT, AnyIndex


class RowsTableModel(QAbstractTableModel):
    """Rows from ``self._rows``, columns from ``HEADERS``; subclasses give ``data``."""

    HEADERS: tuple[str, ...] = ()
    _rows: Sequence[Any]

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return self.header_role(section, role)

    def header_role(self, section: int, role: int) -> Any:
        """A column header's other roles (a tooltip, an alignment); none by default."""
        return None

    def row_at(self, index: AnyIndex) -> Any:
        """The row values an index points at, or None for an index outside the table."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()]
