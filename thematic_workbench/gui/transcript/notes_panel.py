"""The margin notes panel: every note of the project, where it is, and a jump to it.

Margin notes are written while reading (phase 1); this list gathers them so a researcher
can re-read their first impressions across interviews. Enter or a double-click on a row
emits ``note_activated(document_id, start, end)`` in code points, so the main window can
open the transcript there; the list can keep to the transcript that is open.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.changes import Kind
from thematic_workbench.core.queries.project import citation
from thematic_workbench.core.services.annotations import NoteRow, project_annotations
from thematic_workbench.core.wording import plural
from thematic_workbench.gui.common.change_follower import ChangeFollower
from thematic_workbench.gui.common.columns import fit_to_texts, row_table
from thematic_workbench.gui.common.table import RowsTableModel
from thematic_workbench.gui.session import ProjectSession
from thematic_workbench.gui.transcript.note_edit import edit_note

NOTE_KINDS = frozenset({Kind.ANNOTATION, Kind.DOCUMENT, Kind.PARTICIPANT, Kind.CODER})
EMPTY_HINT = ("No margin notes yet. Select a passage in a transcript and choose "
              "Code \N{RIGHTWARDS ARROW} Margin note\N{HORIZONTAL ELLIPSIS} (Ctrl+Alt+M).")
Index = QModelIndex | QPersistentModelIndex


def where(row: NoteRow) -> str:
    """``PA, lines 12-14``: the participant (or document) and the stable lines."""
    # The citation without its outer brackets (sliced: a name may itself start with "[").
    return citation(row.participant or row.document, row.first_line, row.last_line)[1:-1]


class NotesModel(RowsTableModel):
    """The notes shown: all of them, or those of one document."""

    WHERE, NOTE, CODER, DOCUMENT = range(4)
    HEADERS = ("Where", "Note", "Coder", "Document")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.all_rows: list[NoteRow] = []
        self._rows: list[NoteRow] = []
        self.document_id: int | None = None  # keep to this document, when set

    def set_rows(self, rows: list[NoteRow]) -> None:
        self.all_rows = rows
        self._refilter()

    def keep_to(self, document_id: int | None) -> None:
        self.document_id = document_id
        self._refilter()

    def _refilter(self) -> None:
        self.beginResetModel()
        self._rows = [r for r in self.all_rows
                     if self.document_id is None or r.document_id == self.document_id]
        self.endResetModel()

    @property
    def rows(self) -> list[NoteRow]:
        """The notes shown, in order."""
        return self._rows

    def note(self, index: Index) -> NoteRow | None:
        row: NoteRow | None = self.row_at(index)
        return row

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        row = self.note(index)
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (where(row), " ".join(row.body.split()), row.coder,
                    row.document)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{where(row)} ({row.document}), by {row.coder}\n\n{row.body}"
        return None


class NotesPanel(QWidget):
    """A line saying how many notes, a switch to keep to the open transcript, the list."""

    note_activated = Signal(int, int, int)

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.current_document_id: int | None = None
        self.model = NotesModel(self)
        self.title = QLabel(self)
        self.title.setContentsMargins(6, 4, 6, 4)
        self.only_open = QCheckBox("Only the open transcript", self)
        self.only_open.setToolTip("List only the notes of the transcript shown in the reader")
        self.only_open.toggled.connect(self._refilter)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 6, 0)
        top.addWidget(self.title, 1)
        top.addWidget(self.only_open)
        self.view = row_table(self, self.model, "notesTable")
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(NotesModel.NOTE, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.view.activated.connect(self._activate)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._show_menu)
        self.edit_action = QAction("Edit note\N{HORIZONTAL ELLIPSIS}", self.view)
        self.edit_action.setShortcut(QKeySequence(Qt.Key.Key_F2))
        self.edit_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.edit_action.triggered.connect(self.edit_current)
        self.edit_action.setEnabled(not session.readonly)
        self.view.addAction(self.edit_action)
        self.empty = QLabel(EMPTY_HINT, self)
        self.empty.setWordWrap(True)
        self.empty.setEnabled(False)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty, 1)
        self.follower = ChangeFollower(self, session, self.reload, NOTE_KINDS)
        self.reload()

    # -- public API ------------------------------------------------------------------------
    def reload(self) -> None:
        """Read every note again (the change follower calls this after notes change)."""
        if self.session.store.closed:
            return
        with self.session.read() as session:
            rows = project_annotations(session)
        self.model.set_rows(rows)
        self._after_reload()

    def set_current_document(self, document_id: int | None) -> None:
        """The transcript open in the reader (the main window calls this)."""
        self.current_document_id = document_id
        if self.only_open.isChecked():
            self._refilter()

    def current_note(self) -> NoteRow | None:
        return self.model.note(self.view.currentIndex())

    def edit_current(self) -> None:
        """Edit the selected note's text (undoable)."""
        row = self.current_note()
        if row is not None:
            edit_note(self.session, self, row.id, row.body)

    # -- reacting --------------------------------------------------------------------------
    def _refilter(self) -> None:
        self.model.keep_to(self.current_document_id if self.only_open.isChecked()
                           else None)
        self._after_reload()

    def _after_reload(self) -> None:
        shown, total = len(self.model.rows), len(self.model.all_rows)
        if self.only_open.isChecked() and shown != total:
            self.title.setText(f"{plural(shown, 'note')} in this transcript, "
                               f"{total:,} in the project")
        else:
            self.title.setText(f"{plural(total, 'margin note')} in the project")
        empty = total == 0
        self.empty.setVisible(empty)
        self.view.setVisible(not empty)
        fit_to_texts(self.view, NotesModel.WHERE, (where(r) for r in self.model.rows))
        fit_to_texts(self.view, NotesModel.CODER, (r.coder for r in self.model.rows), most=140)
        fit_to_texts(self.view, NotesModel.DOCUMENT, (r.document for r in self.model.rows),
                     most=200)

    def _activate(self, index: QModelIndex) -> None:
        row = self.model.note(index)
        if row is not None:
            self.note_activated.emit(row.document_id, row.start, row.end)

    def _show_menu(self, point: QPoint) -> None:
        menu = self.context_menu(self.view.indexAt(point))
        menu.exec(self.view.viewport().mapToGlobal(point))
        menu.deleteLater()

    def context_menu(self, index: QModelIndex) -> QMenu:
        """Go to the note, edit it; and the switch between all notes and the open transcript."""
        menu = QMenu(self)
        row = self.model.note(index)
        if row is not None:
            self.view.setCurrentIndex(index)
            go = menu.addAction("Go to note")
            go.triggered.connect(lambda: self.note_activated.emit(row.document_id, row.start,
                                                                  row.end))
            menu.addAction(self.edit_action)
            menu.addSeparator()
        toggle = menu.addAction(self.only_open.text())
        toggle.setCheckable(True)
        toggle.setChecked(self.only_open.isChecked())
        toggle.toggled.connect(self.only_open.setChecked)
        return menu
