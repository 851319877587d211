"""Small informational dialogs: About (with the licence) and the keyboard shortcuts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.gui.actions import shortcut_table
from thematic_workbench.resources import LICENCE_NAME, licence_text

LICENCE_NOTICE = (
    "This program is free software: you can redistribute it and/or modify it under the "
    "terms of the GNU General Public License as published by the Free Software Foundation, "
    "either version 3 of the License, or (at your option) any later version. It is "
    "distributed in the hope that it will be useful, but WITHOUT ANY WARRANTY; without even "
    "the implied warranty of MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.")


def about_box(parent: QWidget, version: str) -> QDialog:
    """About: what the app is for, its licence, and the full licence text one click away."""
    dialog = QDialog(parent)
    dialog.setObjectName("about")
    dialog.setWindowTitle("About Thematic Workbench")
    icon = QLabel(dialog)
    icon.setPixmap(parent.windowIcon().pixmap(64, 64))
    icon.setAlignment(Qt.AlignmentFlag.AlignTop)
    text = QLabel(
        f"<h3>Thematic Workbench {version}</h3>"
        "<p>Reflexive thematic analysis of interview transcripts, following Braun and "
        "Clarke's six phases.</p>"
        "<p>Your transcripts stay where you put them: the app never uses the network. "
        "Every change is kept in a tamper-evident audit trail.</p>"
        f"<p><b>Licence: {LICENCE_NAME}</b> (GNU General Public License, version 3 or "
        f"later).</p><p style='color:#4B5563'>{LICENCE_NOTICE}</p>", dialog)
    text.setObjectName("about_text")
    text.setTextFormat(Qt.TextFormat.RichText)
    text.setWordWrap(True)
    text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    licence_button = buttons.addButton("Show the licence…",
                                       QDialogButtonBox.ButtonRole.ActionRole)
    licence_button.setToolTip("The full text of the GNU General Public License, version 3")
    licence_button.clicked.connect(lambda: licence_dialog(dialog).exec())
    buttons.rejected.connect(dialog.reject)
    row = QHBoxLayout()
    row.addWidget(icon)
    row.addSpacing(12)
    row.addWidget(text, 1)
    layout = QVBoxLayout(dialog)
    layout.addLayout(row)
    layout.addWidget(buttons)
    dialog.setMinimumWidth(520)
    return dialog


def show_about(parent: QWidget, version: str) -> None:
    about_box(parent, version).exec()


def _with_close_button(dialog: QDialog, body: QWidget, width: int, height: int) -> QDialog:
    """Lay out a dialog that only shows ``body``: the body above a Close button."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(body)
    layout.addWidget(buttons)
    dialog.resize(width, height)
    return dialog


def licence_dialog(parent: QWidget) -> QDialog:
    """The full GPL text, read from the installed package (never fetched)."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(f"Licence: {LICENCE_NAME}")
    text = QPlainTextEdit(dialog)
    text.setReadOnly(True)
    text.setPlainText(licence_text() or (
        f"Thematic Workbench is licensed under {LICENCE_NAME}.\n\n{LICENCE_NOTICE}\n\n"
        "The full text was not installed with this copy; it is the GNU General Public "
        "License, version 3, published by the Free Software Foundation."))
    text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    return _with_close_button(dialog, text, 640, 560)


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
    return _with_close_button(dialog, table, 520, 520)


def show_shortcuts(parent: QWidget) -> None:
    shortcuts_dialog(parent).exec()
