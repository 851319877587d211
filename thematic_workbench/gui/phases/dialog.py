"""Asking for the note that every move between phases needs."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.phases import phase_info


class MovePhaseDialog(QDialog):
    """"Move to phase N" with a required note; lists the leaving phase's open points."""

    def __init__(self, current: int, target: int, open_points: list[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        leaving, going = phase_info(current), phase_info(target)
        direction = "back " if target < current else ""
        self.setWindowTitle(f"Move {direction}to phase {target}")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        heading = QLabel(f"<b>Move {direction}to phase {target}: {going.name}</b><br>"
                         f"<span style='color:#4B5563'>from phase {current}: "
                         f"{leaving.name}</span>")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        if open_points:
            shown = "".join(f"<li>{text}</li>" for text in open_points[:4])
            more = f"<li>and {len(open_points) - 4} more</li>" if len(open_points) > 4 else ""
            warning = QLabel(f"Not yet ticked in phase {current}:<ul style='margin:2px'>"
                             f"{shown}{more}</ul>")
            warning.setWordWrap(True)
            warning.setStyleSheet("background:#FEF3C7; color:#78350F; padding:6px;"
                                  " border-radius:4px;")
            layout.addWidget(warning)
        prompt = QLabel("Why are you moving? The note goes into the audit trail and the "
                        "phase history, to show how the analysis went.")
        prompt.setWordWrap(True)
        layout.addWidget(prompt)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("e.g. Codes across all eleven interviews feel settled; "
                                     "starting to look for patterns.")
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(110)
        layout.addWidget(self.note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            f"Move to phase {target}")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.note.textChanged.connect(self._note_changed)
        self._note_changed()

    def note_text(self) -> str:
        return self.note.toPlainText().strip()

    def _note_changed(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.note_text()))
