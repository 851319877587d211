"""The snapshots of the coding frame, oldest first, one row each, as plain values."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.services.snapshots import SnapshotInfo, list_snapshots
from thematic_workbench.core.wording import plural
from thematic_workbench.gui.common.changes import kinds_of
from thematic_workbench.gui.common.table import RowsTableModel
from thematic_workbench.gui.review.comments_model import when
from thematic_workbench.gui.session import ProjectSession

AnyIndex = QModelIndex | QPersistentModelIndex
SNAPSHOT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_ROOT = QModelIndex()


class SnapshotsModel(RowsTableModel):
    """Reloads when a snapshot is saved, taken back or put back."""

    HEADERS = ("Name", "Taken", "By", "Phase", "Frame", "Note")
    NAME, TAKEN, BY, PHASE, FRAME, NOTE = range(6)

    def __init__(self, session: ProjectSession, parent: Any = None) -> None:
        super().__init__(parent)
        self.session = session
        self._rows: list[SnapshotInfo] = []
        session.changed.connect(self.on_changed)
        self.refresh()

    def refresh(self) -> None:
        with self.session.read() as s:
            rows = list_snapshots(s)
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def on_changed(self, change: Change) -> None:
        if Kind.SNAPSHOT in kinds_of(change) or Kind.CODER in kinds_of(change):
            self.refresh()

    def snapshots(self) -> list[SnapshotInfo]:
        return list(self._rows)

    def snapshot(self, row: int) -> SnapshotInfo:
        return self._rows[row]

    def row_of(self, snapshot_id: int) -> int:
        return next((row for row, info in enumerate(self._rows) if info.id == snapshot_id), -1)

    # -- the table -------------------------------------------------------------------------
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        info, column = self.row_at(index), index.column()
        if info is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (info.name, when(info.created_at), info.coder, str(info.phase),
                    f"{plural(info.codes, 'code')}, {plural(info.themes, 'theme')}",
                    " ".join(info.note.split()))[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            note = f"\n\n{info.note}" if info.note else ""
            return (f"{info.name}\nTaken by {info.coder}, {when(info.created_at)}, in phase "
                    f"{info.phase}\n{plural(info.codes, 'code')}, {plural(info.themes, 'theme')}"
                    f"{note}")
        if role == SNAPSHOT_ID_ROLE:
            return info.id
        if role == Qt.ItemDataRole.ForegroundRole and column in (self.TAKEN, self.FRAME):
            return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
