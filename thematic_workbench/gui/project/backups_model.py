"""The backups of one project as a table: when, what it holds, whether it is verified."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from thematic_workbench.core.backups.listing import moment
from thematic_workbench.core.backups.manifest import BackupRecord
from thematic_workbench.gui.common.table import RowsTableModel
from thematic_workbench.gui.common.tree import _ROOT, AnyIndex

TAKEN, TRANSCRIPTS, CODES, THEMES, CODINGS, VERIFIED = range(6)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def local_time(record: BackupRecord) -> str:
    """When the backup was taken, in this computer's time zone."""
    return moment(record.time).astimezone().strftime("%a %d %b %Y, %H:%M")


class BackupsModel(RowsTableModel):
    HEADERS = ("Taken", "Transcripts", "Codes", "Themes", "Codings", "Verified")

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[BackupRecord] = []

    def set_backups(self, backups: list[BackupRecord]) -> None:
        self.beginResetModel()
        self._rows = list(backups)
        self.endResetModel()

    def backup_at(self, row: int) -> BackupRecord | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def data(self, index: AnyIndex = _ROOT, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        record: BackupRecord | None = self.row_at(index)
        if record is None:
            return None
        column = index.column()
        counts = record.counts
        if role == Qt.ItemDataRole.DisplayRole:
            return [local_time(record), f"{counts.documents:,}", f"{counts.codes:,}",
                    f"{counts.themes:,}", f"{counts.codings:,}",
                    "Yes" if record.verified else "No"][column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == VERIFIED:
                return ("SQLite's integrity check and the audit trail passed when it was "
                        "taken, and the file is unchanged since" if record.verified
                        else f"Not verified: {record.reason}")
            if column == TAKEN:
                return f"{record.time} (UTC); backup {record.id}"
        if role == Qt.ItemDataRole.TextAlignmentRole and TRANSCRIPTS <= column <= CODINGS:
            return int(_RIGHT.value)
        if role == Qt.ItemDataRole.ForegroundRole and column == VERIFIED \
                and not record.verified:
            return Qt.GlobalColor.darkRed
        return None
