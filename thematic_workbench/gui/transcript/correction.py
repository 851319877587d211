"""Correcting a transcript in place: edit mode, and the undoable change it saves.

Checking a transcript against its recording is the first point of Braun and Clarke's
checklist, so the words can be corrected where they are read. In edit mode the transcript
becomes editable text; the coded passages stay tinted in their codes' colours and the tint
follows the words as the researcher types. Saving works out the few replacements that make
the new text (core/text/text_diff.py) and applies them as one change (one Undo), through
the text-edit service: codings, notes and line numbers stay with their words.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.queries.transcript_data import CodingSpan, TranscriptData
from thematic_workbench.core.services.text_edits import (
    Replacement,
    edit_summary,
    edit_text,
    restore_text,
)
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.text.text_diff import replacements_between
from thematic_workbench.gui.positions import PositionMap
from thematic_workbench.gui.session import ProjectSession, ServiceCommand
from thematic_workbench.gui.transcript.editor import reading_font

TINT_ALPHA = 60  # coded words stay visible, and the text stays readable over them


class TextCorrectionCommand(ServiceCommand):
    """Replace spans of a transcript's text; undo puts back the text and every row."""

    def __init__(self, session: ProjectSession, document_id: int, name: str,
                 replacements: list[Replacement], seen: str) -> None:
        super().__init__(session, f"Correct the text of {name}")
        self.document_id, self.replacements, self.seen = document_id, replacements, seen
        self.kept: dict[str, Any] = {}
        self.said: list[str] = []

    def apply(self, tx: Tx) -> Change:
        change = edit_text(tx, self.document_id, self.replacements, self.seen)
        self.kept = change.values_before(Kind.DOCUMENT, self.document_id)
        self.said = edit_summary(change, self.document_id)
        return change

    def revert(self, tx: Tx) -> Change:
        return restore_text(tx, self.document_id, self.kept)


class CorrectionPanel(QWidget):
    """The transcript as editable text, with a bar saying what mode this is."""

    finished = Signal(bool)  # True when corrections were saved
    message = Signal(str)

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.data: TranscriptData | None = None
        self.setObjectName("correctionPanel")
        self.bar = QLabel(self)
        self.bar.setWordWrap(True)
        self.bar.setTextFormat(Qt.TextFormat.PlainText)
        self.save_button = QPushButton("Save corrections", self)
        self.save_button.setToolTip("Save the corrections as one change (Ctrl+Return); Undo "
                                    "takes them back")
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setToolTip("Leave edit mode without saving (Esc)")
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("correctionEditor")
        self.editor.setFont(reading_font())
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.editor.setTabChangesFocus(True)
        top = QHBoxLayout()
        top.setContentsMargins(8, 6, 8, 6)
        top.addWidget(self.bar, 1)
        top.addWidget(self.save_button)
        top.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.editor, 1)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.cancel)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save,
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.cancel,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def start(self, data: TranscriptData, codings: list[CodingSpan], cursor: int = 0) -> None:
        """Show ``data``'s text for correcting, its ``codings`` tinted, the cursor at
        ``cursor`` (a code point, where the reader was)."""
        self.data = data
        self.bar.setText(f"Correcting the text of {data.name}. Codings, margin notes and line "
                         "numbers stay with their words when you save.")
        positions = PositionMap(data.text)
        self.editor.setPlainText(data.text)
        self.editor.setExtraSelections([self._tint(positions, coding) for coding in codings])
        place = self.editor.textCursor()
        last = self.editor.document().characterCount() - 1
        place.setPosition(min(positions.to_view(cursor), last))
        self.editor.setTextCursor(place)
        self.editor.centerCursor()
        self.editor.setFocus()

    def _tint(self, positions: PositionMap, coding: CodingSpan) -> QTextEdit.ExtraSelection:
        """A coded passage's tint; its cursor follows the words as the text is edited."""
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.editor.document())
        cursor.setPosition(positions.to_view(coding.start))
        cursor.setPosition(positions.to_view(coding.end), QTextCursor.MoveMode.KeepAnchor)
        colour = QColor(coding.colour)
        colour.setAlpha(TINT_ALPHA)
        tint = QTextCharFormat()
        tint.setBackground(colour)
        tint.setToolTip(coding.code_name)
        selection.cursor, selection.format = cursor, tint
        return selection

    def replacements(self) -> list[Replacement]:
        """What saving would change: a few replacements of the text as it was."""
        if self.data is None:
            return []
        return [Replacement(start, end, words) for start, end, words in
                replacements_between(self.data.text, self._typed())]

    def _typed(self) -> str:
        """The text as typed: raw, so a non-breaking space stays one, with ``\\n`` breaks."""
        return self.editor.document().toRawText().replace("\u2029", "\n")

    def save(self) -> None:
        data = self.data
        found = self.replacements()
        if data is None or not found:
            self.message.emit("No corrections to save; the text is as it was.")
            self.finished.emit(False)
            return
        command = TextCorrectionCommand(self.session, data.id, data.name, found, data.text)
        if not self.session.push(command):
            self.message.emit(f"The corrections were not saved: {command.failure}")
            return  # stay in edit mode: nothing typed is lost
        said = "; ".join(command.said)
        self.message.emit(f"Saved {len(found)} correction{'s' if len(found) > 1 else ''} "
                          f"to {data.name}{f' ({said})' if said else ''}. Undo (Ctrl+Z) "
                          "takes them back.")
        self.finished.emit(True)

    def cancel(self) -> None:
        self.finished.emit(False)
