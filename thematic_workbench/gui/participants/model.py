"""The participants sheet's table model: a row per participant (in natural label order), the
label first, a column per attribute, the participant's transcripts last.

It holds the plain :class:`ParticipantSheet` the core query gives, never a database row. An
edit in a cell is handed to ``edit`` (the view turns it into an undoable command); the model
shows the change when the sheet is reloaded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from thematic_workbench.core.queries.participant_sheet import (
    AttributeInfo,
    ParticipantRow,
    ParticipantSheet,
)

AnyIndex = QModelIndex | QPersistentModelIndex
PARTICIPANT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
ATTRIBUTE_ROLE = Qt.ItemDataRole.UserRole + 2  # the column's AttributeInfo, or None
LABEL_COLUMN = 0
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
# (participant row, column's attribute or None for the label, the text typed) -> accepted
EditHandler = Callable[[ParticipantRow, AttributeInfo | None, str], bool]


class ParticipantSheetModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.sheet = ParticipantSheet((), (), ())
        self.edit: EditHandler | None = None

    # -- reading ---------------------------------------------------------------------------
    def set_sheet(self, sheet: ParticipantSheet) -> None:
        self.beginResetModel()
        self.sheet = sheet
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.sheet.participants)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.sheet.attributes) + 2

    @property
    def transcripts_column(self) -> int:
        return len(self.sheet.attributes) + 1

    def attribute_at(self, column: int) -> AttributeInfo | None:
        """The attribute shown in ``column`` (None for the label and transcripts)."""
        if 1 <= column <= len(self.sheet.attributes):
            return self.sheet.attributes[column - 1]
        return None

    def participant_at(self, row: int) -> ParticipantRow | None:
        return self.sheet.participants[row] if 0 <= row < len(self.sheet.participants) \
            else None

    def row_of(self, participant_id: int) -> int:
        return next((row for row, p in enumerate(self.sheet.participants)
                     if p.id == participant_id), -1)

    def column_of(self, attribute_id: int) -> int:
        return next((column for column, a in enumerate(self.sheet.attributes, 1)
                     if a.id == attribute_id), -1)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        participant = self.participant_at(index.row()) if index.isValid() else None
        if participant is None:
            return None
        column = index.column()
        attribute = self.attribute_at(column)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == LABEL_COLUMN:
                return participant.label
            if attribute is not None:
                return participant.values.get(attribute.name, "")
            return participant.transcripts_text()
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == LABEL_COLUMN:
                return participant.note or None
            if attribute is None:
                return participant.transcripts_text().replace(", ", "\n") or \
                    "No transcript yet: press Ctrl+T to assign one"
            return f"{attribute.name} ({attribute.type_label})"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if attribute is not None and attribute.type == "number" else _LEFT
        if role == PARTICIPANT_ID_ROLE:
            return participant.id
        if role == ATTRIBUTE_ROLE:
            return attribute
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        attribute = self.attribute_at(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if section == LABEL_COLUMN:
                return "Participant"
            # the type beneath the name, so a number or a category is known before editing
            return f"{attribute.name}\n{attribute.type_label}" if attribute is not None \
                else "Transcripts"
        if role == Qt.ItemDataRole.ToolTipRole and attribute is not None:
            shown = f"{attribute.name}: {attribute.type_label}"
            if attribute.choices:
                shown += f" ({', '.join(attribute.choices)})"
            return shown
        if role == ATTRIBUTE_ROLE:
            return attribute
        return None

    # -- editing ---------------------------------------------------------------------------
    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() != self.transcripts_column:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: AnyIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        participant = self.participant_at(index.row()) if index.isValid() else None
        if participant is None or role != Qt.ItemDataRole.EditRole or self.edit is None \
                or index.column() == self.transcripts_column:
            return False
        text = "" if value is None else str(value)
        if text == self.data(index, Qt.ItemDataRole.EditRole):
            return False
        return self.edit(participant, self.attribute_at(index.column()), text)
