"""Moving between phases from the strip or the phase panel, and keeping the strip current."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from thematic_workbench.core.changes import Change
from thematic_workbench.core.services.phases import checklist, current_phase
from thematic_workbench.core.services.review import list_sign_offs
from thematic_workbench.gui.common.changes import kinds_of
from thematic_workbench.gui.phases.commands import MovePhaseCommand
from thematic_workbench.gui.phases.dialog import MovePhaseDialog
from thematic_workbench.gui.phases.panel import WATCHED
from thematic_workbench.gui.phases.strip import PhaseMarks, PhaseStrip
from thematic_workbench.gui.session import ProjectSession


class PhaseController(QObject):
    """Asks for the note a move needs, pushes the move, and redraws the strip's marks."""

    phase_changed = Signal(int)

    def __init__(self, session: ProjectSession, strip: PhaseStrip, window: QWidget) -> None:
        super().__init__(window)
        self.session, self.strip, self.window = session, strip, window
        strip.phase_clicked.connect(self.request_move)
        session.changed.connect(self._on_changed)
        self.update_strip()

    def request_move(self, target: int) -> bool:
        """Move to ``target`` after asking why; nothing happens without a note."""
        with self.session.read() as s:
            current = current_phase(s)
            open_points = [p.text for p in checklist(s, current) if not p.done]
        if target == current:
            return False
        note = self.ask_note(current, target, open_points)
        if not note:
            return False
        return self.session.push(MovePhaseCommand(self.session, target, note))

    def ask_note(self, current: int, target: int, open_points: list[str]) -> str | None:
        """Overridable in tests: the dialog asking why the project moves."""
        dialog = MovePhaseDialog(current, target, open_points, self.window)
        return dialog.note_text() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def update_strip(self) -> None:
        with self.session.read() as s:
            phase = current_phase(s)
            points = checklist(s)
            signed = list_sign_offs(s)
        marks = PhaseMarks()
        for point in points:
            done, total = marks.ticked.get(point.phase, (0, 0))
            marks.ticked[point.phase] = (done + point.done, total + 1)
        for sign in signed:
            marks.signed_off[sign.phase] = f"{sign.coder}, {sign.at[:10]}"
        previous = self.strip.current
        self.strip.set_current(phase, marks)
        if phase != previous:
            self.phase_changed.emit(phase)

    def _on_changed(self, change: Change) -> None:
        if kinds_of(change) & WATCHED:
            self.update_strip()
