"""What the extracts report holds: how many extracts per code, and the map of themes."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from thematic_workbench.app.exchange import ExportOptions
from thematic_workbench.core.theme_words import EMERGING_FINAL, ThemeWords


class ExtractsOptionsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None,
                 words: ThemeWords = EMERGING_FINAL) -> None:
        super().__init__(parent)
        self.setWindowTitle("Extracts report")
        self.per_code = QSpinBox()
        self.per_code.setRange(0, 50)
        self.per_code.setValue(3)
        self.per_code.setSpecialValueText("All")
        self.per_code.setToolTip("0 gives every extract of every code")
        self.embed_map = QCheckBox("Include the map of themes as Figure 1")
        note = QLabel(f"For each {words.theme('final')}: its definition and representative "
                      f"extract, then its {words.themes('emerging')}, their codes and "
                      "extracts, cited as "
                      "[PA, lines 120-134]. Extracts are taken across participants first.")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("Export…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow(note)
        layout.addRow("Extracts per code:", self.per_code)
        layout.addRow("", self.embed_map)
        layout.addRow(buttons)

    def options(self) -> ExportOptions:
        return ExportOptions(extracts_per_code=self.per_code.value() or None,
                             embed_map=self.embed_map.isChecked())


def ask_extracts_options(parent: QWidget,
                         words: ThemeWords = EMERGING_FINAL) -> ExportOptions | None:
    dialog = ExtractsOptionsDialog(parent, words)
    return dialog.options() if dialog.exec() == QDialog.DialogCode.Accepted else None
