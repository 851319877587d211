"""The phase panel: where the project is, the checklist of each phase, and how it got here.

The checklist is Braun and Clarke's fifteen points, each in the phase it is acted on;
ticks and notes are undoable changes. Below it, the history of moves with their notes
and the supervisor's sign-offs, which are the record a thesis examiner asks for.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.phases import PHASES, phase_info
from thematic_workbench.core.services.phases import (
    ChecklistPoint,
    PhaseMove,
    checklist,
    current_phase,
    phase_history,
)
from thematic_workbench.core.services.reading import reading_progress
from thematic_workbench.core.services.review import SignOffView, list_sign_offs
from thematic_workbench.core.wording import plural
from thematic_workbench.gui.common.changes import kinds_of
from thematic_workbench.gui.phases.commands import TickChecklistCommand
from thematic_workbench.gui.session import ProjectSession

GUIDANCE = {
    1: "Read and re-read the transcripts; note first ideas in the diary.",
    2: "Code the whole data set line by line, giving each item equal attention.",
    3: "Gather codes into candidate themes on the theme board; collate their extracts.",
    4: "Check each theme against its extracts and the whole data set; merge, split, discard.",
    5: "Define each theme's essence and scope, name it, pick a telling extract.",
    6: "Choose vivid extracts, relate the analysis to the question, write it up.",
}
WATCHED = {Kind.PROJECT, Kind.PHASE_TRANSITION, Kind.CHECKLIST_ITEM, Kind.SIGN_OFF}
READING = {"reading_mark", "document"}


def _short_date(stamp: str | None) -> str:
    return (stamp or "")[:16].replace("T", " ")


class ChecklistRow(QFrame):
    """One criterion: a tick box with its text, and a note beneath."""

    def __init__(self, point: ChecklistPoint, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = point.key
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 6)
        layout.setSpacing(2)
        self.box = QCheckBox()
        self.box.setChecked(point.done)
        text = QLabel(point.text)
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        line = QHBoxLayout()
        line.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        line.addWidget(text, 1)
        layout.addLayout(line)
        self.note = QLineEdit(point.note)
        self.note.setPlaceholderText("Note (how you met this, or what is left to do)")
        if point.done and point.done_by:
            self.note.setToolTip(f"Ticked by {point.done_by} on {_short_date(point.done_at)}")
        layout.addWidget(self.note)


class PhasePanel(QWidget):
    """The current phase, the checklist of the phase chosen on the tabs, history, sign-offs."""

    move_requested = Signal(int)

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.rows: dict[str, ChecklistRow] = {}
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.tabs = QTabBar()
        for info in PHASES:
            self.tabs.addTab(str(info.number))
            self.tabs.setTabToolTip(info.number - 1, f"{info.number}. {info.name}")
        self.tabs.setExpanding(False)
        self.tabs.currentChanged.connect(lambda _index: self._fill_checklist())
        self.move_button = QPushButton("Move to this phase…")
        self.move_button.clicked.connect(
            lambda: self.move_requested.emit(self.tabs.currentIndex() + 1))
        self.checklist_box = QVBoxLayout()
        self.reading = QLabel()  # phase 1: how far the coder is through the data set
        self.reading.setObjectName("readingProgress")
        self.reading.setWordWrap(True)
        self.reading.setTextFormat(Qt.TextFormat.RichText)
        self.reading.setContentsMargins(0, 0, 0, 6)
        self.history = QLabel()
        self.history.setWordWrap(True)
        self.history.setTextFormat(Qt.TextFormat.RichText)
        self.history.setAlignment(Qt.AlignmentFlag.AlignTop)
        body = QWidget()
        inner = QVBoxLayout(body)
        inner.setContentsMargins(8, 4, 8, 8)
        inner.addWidget(self.reading)
        inner.addLayout(self.checklist_box)
        inner.addWidget(self.move_button, 0, Qt.AlignmentFlag.AlignLeft)
        inner.addSpacing(8)
        inner.addWidget(self.history)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        self.heading.setContentsMargins(8, 0, 8, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs)
        layout.addWidget(scroll, 1)
        session.changed.connect(self._on_changed)
        self.refresh(show_current=True)

    # -- filling -----------------------------------------------------------------------------
    def refresh(self, show_current: bool = False) -> None:
        with self.session.read() as s:
            phase = current_phase(s)
            moves = phase_history(s)
            sign_offs = list_sign_offs(s)
        info = phase_info(phase)
        self.current = phase
        self.heading.setText(
            f"<span style='font-size:12pt'><b>Phase {phase} of 6 · {escape(info.name)}</b></span>"
            f"<br><span style='color:#4B5563'>{escape(info.reflexive_name)} — "
            f"{escape(GUIDANCE[phase])}</span>")
        for index in range(self.tabs.count()):
            self.tabs.setTabText(index, f"{index + 1}" + (" \u25cf" if index + 1 == phase
                                                          else ""))
        if show_current:
            self.tabs.setCurrentIndex(phase - 1)
        self._fill_checklist()
        self.history.setText(self._history_html(moves, sign_offs))

    def show_phase(self, phase: int) -> None:
        self.tabs.setCurrentIndex(phase - 1)

    def _fill_checklist(self) -> None:
        phase = self.tabs.currentIndex() + 1
        with self.session.read() as s:
            points = checklist(s, phase)
        while (item := self.checklist_box.takeAt(0)) is not None:
            widget = item.widget()
            if widget is not None:
                widget.setParent(None)  # gone from the panel now, freed later
                widget.hide()  # for good: a row added this same turn would show as a window
                widget.deleteLater()
        self.rows.clear()
        title = QLabel(f"<b>Checklist for phase {phase}</b> · {escape(phase_info(phase).name)}")
        title.setWordWrap(True)  # a narrow side column wraps it rather than scrolling
        self.checklist_box.addWidget(title)
        if not points:
            empty = QLabel("Braun and Clarke's checklist has no point for this phase.")
            empty.setWordWrap(True)
            empty.setStyleSheet("color:#6B7280")
            self.checklist_box.addWidget(empty)
        for point in points:
            row = ChecklistRow(point)
            row.box.toggled.connect(lambda done, key=point.key: self._tick(key, done))
            row.box.setEnabled(not self.session.readonly)
            row.note.setReadOnly(self.session.readonly)
            row.note.editingFinished.connect(lambda key=point.key: self._note(key))
            self.rows[point.key] = row
            self.checklist_box.addWidget(row)
        self._show_reading()
        self.move_button.setVisible(phase != self.current)
        self.move_button.setText(f"Move to phase {phase}…")
        self.move_button.setEnabled(not self.session.readonly)

    def _show_reading(self) -> None:
        """In phase 1, count the transcripts the coder has read and re-read."""
        shown = self.tabs.currentIndex() == 0
        self.reading.setVisible(shown)
        if not shown:
            return
        with self.session.read() as s:
            progress = reading_progress(s, self.session.coder)
        if progress.documents == 0:
            self.reading.setText("<b>Reading</b><br>No transcripts to read yet: import them "
                                 "with File → Import transcripts…")
            return
        reread = f", {progress.reread} re-read" if progress.reread else ""
        self.reading.setText(
            f"<b>Reading</b><br>{progress.read} of {plural(progress.documents, 'transcript')} "
            f"read by you{reread}.<br><span style='color:#4B5563'>Mark a transcript as read "
            "with Ctrl+Alt+R as you finish it, or right-click it in the Documents list."
            "</span>")

    @staticmethod
    def _history_html(moves: list[PhaseMove], sign_offs: list[SignOffView]) -> str:
        parts = ["<b>How the analysis moved</b>"]
        if not moves:
            parts.append("<span style='color:#6B7280'>No moves yet: the project started "
                         "in phase 1.</span>")
        for move in reversed(moves):
            parts.append(f"<span style='color:#6B7280'>{_short_date(move.at)} · "
                         f"{escape(move.coder)}</span><br>{move.from_phase} → "
                         f"<b>{move.to_phase}</b>: {escape(move.note)}")
        if sign_offs:
            parts.append("<br><b>Supervisor sign-offs</b>")
            for sign in reversed(sign_offs):
                note = f": {escape(sign.note)}" if sign.note else ""
                parts.append(f"<span style='color:#2E7D32'>\u2713</span> Phase {sign.phase}, "
                             f"{escape(sign.coder)}, {_short_date(sign.at)}{note}")
        return "<br>".join(parts)

    # -- changing ----------------------------------------------------------------------------
    def _tick(self, key: str, done: bool) -> None:
        note = self.rows[key].note.text()
        if not self.session.push(TickChecklistCommand(self.session, key, done, note)):
            self._fill_checklist()

    def _note(self, key: str) -> None:
        row = self.rows.get(key)
        if row is None:
            return
        with self.session.read() as s:
            point = next(p for p in checklist(s) if p.key == key)
        if row.note.text().strip() != point.note:
            self.session.push(TickChecklistCommand(self.session, key, point.done,
                                                   row.note.text()))

    def _on_changed(self, change: Change) -> None:
        if kinds_of(change) & WATCHED:
            self.refresh(show_current=Kind.PROJECT in kinds_of(change))
        elif kinds_of(change) & READING:
            self._show_reading()
