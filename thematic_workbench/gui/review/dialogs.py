"""Small dialogs of supervision: write a comment, sign off a phase, name a snapshot.

Each has an ``ask_*`` function that returns the answer, or None if cancelled; the panels
call those, and tests replace them. OK stays disabled until what is required is written.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.phases import phase_info


class _Dialog(QDialog):
    """A title, a prompt, the fields, then OK and Cancel."""

    def __init__(self, parent: QWidget | None, title: str, prompt: str, ok: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.prompt = QLabel(prompt, self)
        self.prompt.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.form = QFormLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)

    def showEvent(self, event: QShowEvent) -> None:
        """Typing goes to the first field at once (a suggested name is selected to be
        overtyped), not to the OK button."""
        super().showEvent(event)
        for row in range(self.form.count()):
            item = self.form.itemAt(row)
            field = item.widget() if item is not None else None
            if field is not None and field.focusPolicy() & Qt.FocusPolicy.TabFocus:
                field.setFocus()
                return


def _text_box(parent: QWidget, placeholder: str, lines: int = 5) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setMinimumHeight(box.fontMetrics().lineSpacing() * lines + 12)
    return box


class CommentDialog(_Dialog):
    """A comment on one target, named at the top."""

    def __init__(self, parent: QWidget | None, target: str) -> None:
        super().__init__(parent, "Comment", f"Comment on <b>{escape(target)}</b>:",
                         "Add comment")
        self.body = _text_box(self, "What you noticed, and what you suggest")
        self.form.addRow(self.body)
        self.body.textChanged.connect(
            lambda: self.ok.setEnabled(bool(self.body.toPlainText().strip())))
        self.ok.setEnabled(False)
        self.resize(480, 260)

    def value(self) -> str:
        return self.body.toPlainText().strip()


class SignOffDialog(_Dialog):
    """Which phase (any the project has reached; the current one first) and a note."""

    def __init__(self, parent: QWidget | None, reached: int) -> None:
        super().__init__(parent, "Sign off a phase",
                         "Record, as supervisor, that a phase's work has been checked. "
                         "The sign-off is shown on the phase strip and kept in the audit "
                         "trail.", "Sign off")
        self.phase = QComboBox(self)
        for number in range(reached, 0, -1):
            self.phase.addItem(f"Phase {number}: {phase_info(number).name}", number)
        self.note = _text_box(self, "What you checked, and anything still to do", 4)
        self.form.addRow("Phase:", self.phase)
        self.form.addRow("Note:", self.note)
        self.resize(520, 280)

    def value(self) -> tuple[int, str]:
        return int(self.phase.currentData()), self.note.toPlainText().strip()


class SnapshotDialog(_Dialog):
    """A name (required, suggested) and a note for a snapshot of the coding frame."""

    def __init__(self, parent: QWidget | None, suggested: str) -> None:
        super().__init__(parent, "Save snapshot of the coding frame",
                         "Freeze the codes, themes and their places as they are now, to "
                         "compare with later or to show your supervisor.", "Save snapshot")
        self.name = QLineEdit(suggested, self)
        self.name.selectAll()
        self.note = _text_box(self, "Why now: e.g. before the supervision meeting", 3)
        self.form.addRow("Name:", self.name)
        self.form.addRow("Note:", self.note)
        self.name.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        self.ok.setEnabled(bool(suggested.strip()))
        self.resize(480, 240)

    def value(self) -> tuple[str, str]:
        return self.name.text().strip(), self.note.toPlainText().strip()


def ask_comment(parent: QWidget | None, target: str) -> str | None:
    dialog = CommentDialog(parent, target)
    return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_sign_off(parent: QWidget | None, reached: int) -> tuple[int, str] | None:
    dialog = SignOffDialog(parent, reached)
    return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_snapshot(parent: QWidget | None, suggested: str) -> tuple[str, str] | None:
    dialog = SnapshotDialog(parent, suggested)
    return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
