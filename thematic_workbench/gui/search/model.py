"""The search hits as a keyword-in-context table: who and where, then the words before (right
aligned, so the hits line up), the hit in bold, and the words after."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from thematic_workbench.core.finding.search import SearchHit
from thematic_workbench.core.wording import lines_phrase

AnyIndex = QModelIndex | QPersistentModelIndex
SPAN_ROLE = Qt.ItemDataRole.UserRole + 1
HEADERS = ("Document", "Participant", "Speaker", "Line", "Before", "Hit", "After")
BEFORE, HIT, AFTER = 4, 5, 6
EXPORT_HEADERS = ("document", "participant", "speaker", "line", "start", "end", "text",
                  "before", "after")


def hit_rows(hits: list[SearchHit]) -> list[list[str | int | None]]:
    """The hits as the rows of an exported table (headers: ``EXPORT_HEADERS``)."""
    return [[hit.document_name, hit.participant, hit.speaker, hit.line, hit.start, hit.end,
             hit.match, hit.before, hit.after] for hit in hits]


class HitsModel(QAbstractTableModel):
    """One row per hit, in text order of the transcripts in document order."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.hits: list[SearchHit] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self.hits = hits
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.hits)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.TextAlignmentRole:
            return _alignment(section)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        hit, column = self.hits[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (hit.document_name, hit.participant or "", hit.speaker or "",
                    "" if hit.line is None else hit.line, hit.before, hit.match,
                    hit.after)[column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _alignment(column)
        if role == Qt.ItemDataRole.FontRole and column == HIT:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{citation(hit)}\n{hit.before}{hit.match}{hit.after}"
        if role == SPAN_ROLE:
            return (hit.document_id, hit.start, hit.end)
        return None


def citation(hit: SearchHit) -> str:
    """Where a hit is, as a reader cites it: "PA (Anna), PA interview, line 12"."""
    who = hit.participant or ""
    if hit.speaker and hit.speaker != who:
        who = f"{who} ({hit.speaker})" if who else hit.speaker
    where = lines_phrase(hit.line, hit.end_line or hit.line) if hit.line is not None else ""
    return ", ".join(part for part in (who, hit.document_name, where) if part)


def _alignment(column: int) -> Qt.AlignmentFlag:
    side = Qt.AlignmentFlag.AlignRight if column in (BEFORE, 3) else Qt.AlignmentFlag.AlignLeft
    return side | Qt.AlignmentFlag.AlignVCenter


class ContextDelegate(QStyledItemDelegate):
    """The words before a hit lose their start when the column is narrow, not their end."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        super().initStyleOption(option, index)
        if index.column() == BEFORE:
            option.textElideMode = Qt.TextElideMode.ElideLeft
