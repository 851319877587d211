"""Editors fitting each attribute's type: a line for text and the label, a checked line
for numbers, a date editor for dates, a list of its values for a category.

A date editor cannot be empty, so a value is cleared with Delete (the sheet's action), not
in the editor; a category's list starts with "(no value)", which clears it.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from thematic_workbench.core.queries.participant_sheet import AttributeInfo
from thematic_workbench.gui.participants.model import ATTRIBUTE_ROLE

AnyIndex = QModelIndex | QPersistentModelIndex
NO_VALUE = "(no value)"
NUMBER_PATTERN = r"[-+]?\d*(\.\d*)?([eE][-+]?\d*)?"
DATE_FORMAT = "yyyy-MM-dd"


class AttributeDelegate(QStyledItemDelegate):
    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: AnyIndex) -> QWidget:
        attribute: AttributeInfo | None = index.data(ATTRIBUTE_ROLE)
        if attribute is not None and attribute.type == "choice":
            combo = QComboBox(parent)
            combo.addItem(NO_VALUE, "")
            for choice in attribute.choices:
                combo.addItem(choice, choice)
            combo.setAccessibleName(f"{attribute.name}: choose a value")
            combo.activated.connect(lambda _index: self._commit(combo))
            return combo
        if attribute is not None and attribute.type == "date":
            edit = QDateEdit(parent)
            edit.setDisplayFormat(DATE_FORMAT)
            edit.setCalendarPopup(True)
            edit.setAccessibleName(f"{attribute.name}: a date")
            return edit
        line = QLineEdit(parent)
        if attribute is not None and attribute.type == "number":
            line.setValidator(QRegularExpressionValidator(NUMBER_PATTERN, line))
            line.setAlignment(Qt.AlignmentFlag.AlignRight)
            line.setPlaceholderText("a number")
        line.setAccessibleName(attribute.name if attribute is not None else "Participant label")
        return line

    def _commit(self, editor: QWidget) -> None:
        """A value chosen from a category's list is the edit: no Enter needed."""
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        value = str(index.data(Qt.ItemDataRole.EditRole) or "")
        if isinstance(editor, QComboBox):
            found = editor.findData(value)
            editor.setCurrentIndex(max(found, 0))
        elif isinstance(editor, QDateEdit):
            date = QDate.fromString(value, DATE_FORMAT)
            editor.setDate(date if date.isValid() else QDate.currentDate())
        elif isinstance(editor, QLineEdit):
            editor.setText(value)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        if isinstance(editor, QComboBox):
            value = str(editor.currentData() or "")
        elif isinstance(editor, QDateEdit):
            value = editor.date().toString(DATE_FORMAT)
        elif isinstance(editor, QLineEdit):
            value = editor.text()
        else:  # pragma: no cover - every editor is one of the above
            return
        model.setData(index, value, Qt.ItemDataRole.EditRole)
