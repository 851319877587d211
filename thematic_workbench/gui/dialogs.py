"""Small informational dialogs: About and the keyboard shortcuts."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.gui.actions import shortcut_table


def show_about(parent: QWidget, version: str) -> None:
    QMessageBox.about(
        parent, "About Thematic Workbench",
        f"<h3>Thematic Workbench {version}</h3>"
        "<p>Reflexive thematic analysis of interview transcripts, following Braun and "
        "Clarke's six phases.</p>"
        "<p>Your transcripts stay where you put them: the app never uses the network. "
        "Every change is kept in a tamper-evident audit trail.</p>")


def shortcuts_dialog(parent: QWidget) -> QDialog:
    dialog = QDialog(parent)
    dialog.setWindowTitle("Keyboard shortcuts")
    rows = shortcut_table()
    table = QTableWidget(len(rows), 2)
    table.setHorizontalHeaderLabels(["Action", "Keys"])
    for row, (action, keys) in enumerate(rows):
        table.setItem(row, 0, QTableWidgetItem(action))
        table.setItem(row, 1, QTableWidgetItem(keys))
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(table)
    layout.addWidget(buttons)
    dialog.resize(520, 520)
    return dialog


def show_shortcuts(parent: QWidget) -> None:
    shortcuts_dialog(parent).exec()
