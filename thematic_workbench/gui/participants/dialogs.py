"""The sheet's small dialogs: an attribute's name, type and category values; what an
import would do, before it is done; which transcript to give a participant."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.queries.participant_sheet import TYPE_LABELS, DocumentRef
from thematic_workbench.core.services.attribute_table import TablePlan
from thematic_workbench.core.wording import plural
from thematic_workbench.gui.common.choices import QUIET

TYPES = tuple(TYPE_LABELS.items())  # (stored, shown)


class AttributeDialog(QDialog):
    """A new attribute (name, type, values), or an existing one's type and values."""

    def __init__(self, parent: QWidget | None, title: str, name: str = "",
                 type_: str = "text", choices: tuple[str, ...] = (),
                 name_fixed: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.name = QLineEdit(name)
        self.name.setReadOnly(name_fixed)
        self.name.setPlaceholderText("e.g. gender, profession, years in practice")
        self.type = QComboBox()
        for stored, shown in TYPES:
            self.type.addItem(shown, stored)
        self.type.setCurrentIndex(max(0, self.type.findData(type_)))
        self.choices = QPlainTextEdit("\n".join(choices))
        self.choices.setPlaceholderText("One value per line, e.g.\nfemale\nmale\nnon-binary")
        self.choices.setTabChangesFocus(True)
        self.choices_label = QLabel("&Values:")
        self.choices_label.setBuddy(self.choices)
        form = QFormLayout()
        name_label = QLabel("&Name:")
        name_label.setBuddy(self.name)
        type_label = QLabel("&Type:")
        type_label.setBuddy(self.type)
        form.addRow(name_label, self.name)
        form.addRow(type_label, self.type)
        form.addRow(self.choices_label, self.choices)
        hint = QLabel("A number or a date (YYYY-MM-DD) is checked as it is typed; a category "
                      "offers its values to choose from.")
        hint.setWordWrap(True)
        hint.setStyleSheet(QUIET)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.type.currentIndexChanged.connect(self._show_choices)
        self._show_choices()
        self.resize(420, 320)

    def _show_choices(self) -> None:
        category = self.type.currentData() == "choice"
        self.choices.setEnabled(category)
        self.choices_label.setEnabled(category)

    def values(self) -> tuple[str, str, list[str]]:
        """(name, stored type, category values)."""
        type_ = str(self.type.currentData())
        choices = [line.strip() for line in self.choices.toPlainText().splitlines()
                   if line.strip()] if type_ == "choice" else []
        return self.name.text(), type_, choices


class ImportPreviewDialog(QDialog):
    """What a table of attributes holds and what importing it would add and change."""

    def __init__(self, parent: QWidget | None, plan: TablePlan) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import attributes from {plan.source}")
        layout = QVBoxLayout(self)
        counts = plan.summary().split(": ", 1)[1]
        summary = QLabel(counts[:1].upper() + counts[1:]
                         + (f"; {plural(plan.unchanged, 'value')} already as in the file"
                            if plan.unchanged else "") + ".")
        summary.setWordWrap(True)
        layout.addWidget(summary)
        new = [a for a in plan.attributes if a.new]
        details = []
        if plan.new_participants:
            details.append("New participants: " + ", ".join(plan.new_participants))
        if new:
            details.append("New attributes: " + ", ".join(f"{a.name} ({a.type_label})"
                                                          for a in new))
        for text in details:
            label = QLabel(text)
            label.setWordWrap(True)
            layout.addWidget(label)
        self.table = QTableWidget(len(plan.values), 4)
        self.table.setHorizontalHeaderLabels(["Participant", "Attribute", "Now", "After import"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        for row, value in enumerate(plan.values):
            for column, text in enumerate((value.label, value.attribute,
                                           value.before if value.before is not None else "—",
                                           value.after)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table)
        note = QLabel("Blank cells set nothing. The import is one step: Undo takes it back whole.")
        note.setStyleSheet(QUIET)
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(not plan.empty)
        self.import_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 460)


class AssignDialog(QDialog):
    """Choose a transcript to give a participant; its current owner is named."""

    def __init__(self, parent: QWidget | None, label: str,
                 documents: list[tuple[DocumentRef, str | None]]) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Assign a transcript to {label}")
        self.choice = QComboBox()
        for document, owner in documents:
            shown = document.name + (f"  (now {owner})" if owner else "  (no participant)")
            self.choice.addItem(shown, document.id)
        self.choice.setAccessibleName("Transcript")
        label_widget = QLabel("&Transcript:")
        label_widget.setBuddy(self.choice)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label_widget)
        layout.addWidget(self.choice)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def document_id(self) -> int | None:
        data = self.choice.currentData()
        return int(data) if data is not None else None


def confirm_text(what: str, consequence: str) -> str:
    """The question a confirmation asks, one sentence per fact."""
    return f"{what}?" + (f"\n\n{consequence}" if consequence else "") + \
        "\n\nYou can undo this with Ctrl+Z."
