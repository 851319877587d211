"""The documents panel: transcripts by participant, how far each is coded (by the codings
the window shows; a line above says whose when not everyone's) and read.

A single click (or Enter) opens a transcript. The context menu and keys rename it (F2),
give it a participant, mark it as read or re-read (Ctrl+Alt+R), ask for a reviewer's
comment, or delete it (Delete); every change is one undo step.
"""

from __future__ import annotations

import time
from functools import partial

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QStyle,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.services.documents import (
    DocumentFacts,
    document_facts,
    participant_choices,
)
from thematic_workbench.core.wording import plural
from thematic_workbench.gui.common.coders_shown import ShownNote
from thematic_workbench.gui.common.columns import RememberedWidths, fix_widths, widest
from thematic_workbench.gui.common.tree_state import TreeState
from thematic_workbench.gui.documents.commands import (
    DeleteDocumentCommand,
    MarkReadCommand,
    RenameDocumentCommand,
    SetParticipantCommand,
    UnmarkReadCommand,
)
from thematic_workbench.gui.documents.model import NO_PARTICIPANT, DocumentsModel
from thematic_workbench.gui.documents.speakers_dialog import ask_speakers
from thematic_workbench.gui.session import ProjectSession

EMPTY_HINT = ("No transcripts yet.\n"
              "Use File \N{RIGHTWARDS ARROW} Import transcripts\N{HORIZONTAL ELLIPSIS}")
ELLIPSIS = "\N{HORIZONTAL ELLIPSIS}"
MARK_READ_KEYS = "Ctrl+Alt+R"
WIDTHS_KEY = "documents/column_widths"
HIDDEN_KEY = "documents/hidden_columns"
COUNT_PADDING = 12
SHOWN_AT_LEAST = 16  # characters of a name shown before the list scrolls sideways
NAME_PADDING = 10  # the item's own text margins
HIDDEN_AT_FIRST = (DocumentsModel.LINES,)  # its count is in the tooltip; the names need room


class DocumentsPanel(QWidget):
    """Emits ``document_activated(document_id)`` to open a transcript, and
    ``comment_requested("document", document_id)`` for a reviewer's comment."""

    document_activated = Signal(int)
    comment_requested = Signal(str, int)

    MIN_NAME_WIDTH = 120
    MAX_NAME_WIDTH = 420

    def __init__(self, session: ProjectSession, parent: QWidget | None = None,
                 settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = DocumentsModel(session, self)
        self.view = QTreeView(self)
        self.view.setObjectName("documentsTree")
        self.view.setModel(self.model)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setAllColumnsShowFocus(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setIndentation(12)  # room for the transcript names in a narrow panel
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(DocumentsModel.NAME, QHeaderView.ResizeMode.Interactive)
        # Counts are short: a narrow padding leaves the room to the names.
        fix_widths(self.view, (DocumentsModel.LINES, DocumentsModel.CODED), "9,999",
                   COUNT_PADDING)
        fix_widths(self.view, (DocumentsModel.READ,), "9/9", COUNT_PADDING)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._show_header_menu)
        self.settings = settings
        self.widths = RememberedWidths(self.view, settings, WIDTHS_KEY, (DocumentsModel.NAME,))
        for column in self._hidden_columns():
            header.setSectionHidden(column, True)
        self.state = TreeState(self.view, self.model)
        self._last_open: tuple[int, float] | None = None
        self._fits_key: tuple[object, ...] | None = None
        self._fits = (0, 0)
        self.view.clicked.connect(self._on_clicked)
        self.view.activated.connect(self._on_clicked)  # Enter, and double clicks
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._show_menu)
        self.view.viewport().installEventFilter(self)
        self.actions_by_name = self._make_actions()

        self.empty = QLabel(EMPTY_HINT, self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setEnabled(False)
        self.coded_note = ShownNote(  # whose codings the Coded column is, unless everyone's
            session, "Coded", "The Coded column is the share of each transcript covered by "
            "the codings this window shows.", self)
        self.coded_note.setObjectName("codedShown")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.coded_note)
        layout.addWidget(self.view)
        layout.addWidget(self.empty)
        self.model.modelReset.connect(self._show_empty_hint)
        self.model.modelReset.connect(self.fit_columns)
        self.model.dataChanged.connect(self._on_data_changed)
        self.view.selectionModel().currentChanged.connect(lambda *_: self._update_actions())
        self._show_empty_hint()
        self.fit_columns()
        self._update_actions()

    # -- the public face -------------------------------------------------------------------
    def refresh(self) -> None:
        self.model.refresh()

    def mark_opened(self, document_id: int) -> None:
        """Note that a transcript is open in this session (the main window calls this)."""
        self.model.mark_opened(document_id)

    def selected_document_id(self) -> int | None:
        return self.model.document_id(self.view.currentIndex())

    def select_document(self, document_id: int) -> None:
        index = self.model.index_of_key(("document", document_id))
        if index.isValid():
            self.view.setCurrentIndex(index)

    def preferred_width(self) -> int:
        """Wide enough for every name and count, with the scroll bar: the dock's first size."""
        scroll = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        return self._name_fits()[0] + self._counts_width() + scroll + 2 * self.view.frameWidth() + 2

    def sizeHint(self) -> QSize:
        return QSize(self.preferred_width(), super().sizeHint().height())

    # -- columns ---------------------------------------------------------------------------
    def _name_fit(self, characters: int | None = None) -> int:
        """The Name column's width for the longest name (or for its first ``characters``),
        indentation included."""
        groups: list[str] = []
        documents: list[str] = []
        for node in self.model.nodes():
            (documents if node.values.document_id is not None else groups).append(
                node.values.name[:characters])
        indent = self.view.indentation()
        need = max(widest(self.view, documents) + 2 * indent,
                   widest(self.view, groups, bold=True) + indent) + NAME_PADDING
        return max(self.MIN_NAME_WIDTH, min(self.MAX_NAME_WIDTH, need))

    def _name_fits(self) -> tuple[int, int]:
        """``_name_fit()`` and ``_name_fit(SHOWN_AT_LEAST)``, measured again only when the
        names, the indentation or the font change (not on every resize or coverage update)."""
        key = (tuple((node.values.document_id is None, node.values.name)
                     for node in self.model.nodes()),
               self.view.indentation(), self.view.font().key())
        if key != self._fits_key:
            self._fits_key = key
            self._fits = (self._name_fit(), self._name_fit(SHOWN_AT_LEAST))
        return self._fits

    def _counts_width(self) -> int:
        header = self.view.header()
        return sum(header.sectionSize(column) for column in range(1, self.model.columnCount())
                   if not header.isSectionHidden(column))

    def fit_columns(self) -> None:
        """Name as wide as its longest name, taking any room left; in a narrower panel it
        gives way down to the first ``SHOWN_AT_LEAST`` characters of each name (elided in
        the middle, whole on hover), then the list scrolls sideways. A width the user
        dragged the column to wins."""
        saved = self.widths.saved(DocumentsModel.NAME)
        if saved is not None:
            width = saved
        else:
            room = self.view.viewport().width() - self._counts_width()
            fit, shown_at_least = self._name_fits()
            width = room if room >= fit else max(shown_at_least, room)
        if self.view.header().sectionSize(DocumentsModel.NAME) != width:
            self.widths.resize(DocumentsModel.NAME, width)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self.fit_columns()
        return super().eventFilter(watched, event)

    def _on_data_changed(self, top_left: QModelIndex, _bottom_right: QModelIndex,
                         _roles: list[int] | None = None) -> None:
        if top_left.column() == DocumentsModel.NAME:
            self.fit_columns()
        self._update_actions()

    def build_header_menu(self) -> QMenu:
        """Which count columns to show, and the Name column back to its names' width."""
        menu = QMenu(self)
        header = self.view.header()
        for column in range(1, self.model.columnCount()):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            action = menu.addAction(title)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.toggled.connect(partial(self.show_column, column))
        menu.addSeparator()
        menu.addAction("Fit the Name column to the names").triggered.connect(self.reset_widths)
        return menu

    def _show_header_menu(self, pos: QPoint) -> None:
        self.build_header_menu().popup(self.view.header().mapToGlobal(pos))

    def show_column(self, column: int, shown: bool) -> None:
        """Show or hide a count column; the choice is remembered."""
        self.view.header().setSectionHidden(column, not shown)
        if self.settings is not None:
            header = self.view.header()
            self.settings.setValue(HIDDEN_KEY, ",".join(
                str(c) for c in range(1, self.model.columnCount()) if header.isSectionHidden(c))
                or "none")
        self.fit_columns()

    def _hidden_columns(self) -> tuple[int, ...]:
        value = self.settings.value(HIDDEN_KEY) if self.settings is not None else None
        if not isinstance(value, str):
            return HIDDEN_AT_FIRST
        return tuple(int(part) for part in value.split(",") if part.isdigit()
                     and 0 < int(part) < self.model.columnCount())

    def reset_widths(self) -> None:
        self.widths.forget()
        self.fit_columns()

    # -- actions ---------------------------------------------------------------------------
    def _make_actions(self) -> dict[str, QAction]:
        """The panel's actions, with keys that work while the list has the focus."""
        specs = (
            ("open", "Open", (), self.open_selected),  # Enter: the view's own ``activated``
            ("rename", f"Rename{ELLIPSIS}", (QKeySequence(Qt.Key.Key_F2),), self.rename_selected),
            ("participant", f"Change participant{ELLIPSIS}", (), self.change_participant),
            ("speakers", f"Speakers and participants{ELLIPSIS}", (), self.map_speakers),
            ("read", "Mark as read", (QKeySequence(MARK_READ_KEYS),), self.mark_read),
            ("unread", "Remove my last reading mark", (), self.unmark_read),
            ("comment", f"Comment for review{ELLIPSIS}", (), self.request_comment),
            ("autocode", f"Code a speaker's turns{ELLIPSIS}", (), self.autocode_speaker),
            ("delete", f"Delete{ELLIPSIS}", (QKeySequence(QKeySequence.StandardKey.Delete),),
             self.delete_selected),
        )
        actions: dict[str, QAction] = {}
        for name, text, keys, handler in specs:
            action = QAction(text, self)
            action.setObjectName(f"documents_{name}")
            if keys:
                action.setShortcuts(list(keys))
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _checked=False, run=handler: run())
            self.view.addAction(action)
            actions[name] = action
        return actions

    def _update_actions(self) -> None:
        document_id = self.selected_document_id()
        chosen = document_id is not None
        writable = chosen and not self.session.readonly
        reads = self.model.my_reads(document_id) if document_id is not None else 0
        actions = self.actions_by_name
        actions["open"].setEnabled(chosen)
        actions["comment"].setEnabled(writable)
        for name in ("rename", "participant", "speakers", "delete", "autocode"):
            actions[name].setEnabled(writable)
        actions["read"].setEnabled(writable)
        actions["read"].setText("Mark as re-read" if reads else "Mark as read")
        actions["unread"].setEnabled(writable and reads > 0)

    def build_menu(self, document_id: int) -> QMenu:
        """The context menu of a transcript (it becomes the current row first)."""
        self.select_document(document_id)
        self._update_actions()
        menu = QMenu(self)
        for name in ("open", None, "rename", "participant", "speakers", None, "read",
                     "unread", None, "autocode", None, "comment", None, "delete"):
            if name is None:
                menu.addSeparator()
            else:
                menu.addAction(self.actions_by_name[name])
        return menu

    def _show_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if not index.isValid():  # from the keyboard: the current row
            index = self.view.currentIndex()
            pos = self.view.visualRect(index).bottomLeft()
        document_id = self.model.document_id(index)
        if document_id is None:
            return
        self.build_menu(document_id).popup(self.view.viewport().mapToGlobal(pos))

    # -- what the actions do ---------------------------------------------------------------
    def _on_clicked(self, index: QModelIndex) -> None:
        document_id = self.model.document_id(index)
        if document_id is None:
            return
        now = time.monotonic()
        if self._last_open is not None and self._last_open[0] == document_id and \
                now - self._last_open[1] < QApplication.doubleClickInterval() / 1000:
            return  # the same open again: the second click of a double click
        self._open(document_id, now)

    def open_selected(self) -> None:
        document_id = self.selected_document_id()
        if document_id is not None:
            self._open(document_id, time.monotonic())
        else:  # Enter on a participant: open or close it
            index = self.view.currentIndex()
            if index.isValid():
                self.view.setExpanded(index, not self.view.isExpanded(index))

    def _open(self, document_id: int, now: float) -> None:
        self._last_open = (document_id, now)
        self.document_activated.emit(document_id)

    def _facts(self, document_id: int | None = None) -> DocumentFacts | None:
        document_id = self.selected_document_id() if document_id is None else document_id
        if document_id is None:
            return None
        with self.session.read() as s:
            return document_facts(s, document_id)

    def rename_selected(self) -> None:
        facts = self._facts()
        if facts is None or self.session.readonly:
            return
        name, ok = QInputDialog.getText(self, "Rename transcript",
                                        f"New name for '{facts.name}':",
                                        QLineEdit.EchoMode.Normal, facts.name)
        if ok and name.strip() and " ".join(name.split()) != facts.name:
            self.session.push(RenameDocumentCommand(self.session, facts.id, facts.name, name))

    def change_participant(self) -> None:
        facts = self._facts()
        if facts is None or self.session.readonly:
            return
        with self.session.read() as s:
            labels = [label for _id, label in participant_choices(s)]
        choices = [*labels, NO_PARTICIPANT]
        current = choices.index(facts.participant) if facts.participant in labels \
            else len(choices) - 1
        label, ok = QInputDialog.getItem(
            self, "Change participant",
            f"Participant of '{facts.name}' (choose one, or type a new label):",
            choices, current, True)
        if not ok:
            return
        label = " ".join(label.split())
        wanted = None if label in ("", NO_PARTICIPANT) else label
        if wanted != facts.participant:
            self.session.push(SetParticipantCommand(self.session, facts.id, facts.name, wanted))

    def map_speakers(self) -> None:
        """Who each speaker of the current transcript is (focus groups)."""
        document_id = self.selected_document_id()
        if document_id is not None and not self.session.readonly:
            ask_speakers(self.session, self, document_id)

    def mark_read(self, document_id: int | None = None) -> None:
        """Mark a transcript (default: the current row) as read, or re-read, by the coder;
        the window can call this for the transcript it shows."""
        facts = self._facts(document_id)
        if facts is None or self.session.readonly:
            return
        reread = self.model.my_reads(facts.id) > 0
        self.session.push(MarkReadCommand(self.session, facts.id, facts.name, reread))

    def unmark_read(self) -> None:
        facts = self._facts()
        if facts is None or self.session.readonly:
            return
        mine = [mark for mark in self.model.marks(facts.id) if mark.coder == self.session.coder]
        if mine:
            self.session.push(UnmarkReadCommand(self.session, mine[-1], facts.name))

    def autocode_speaker(self) -> None:
        """Code every turn of one of this transcript's speakers (or of every transcript)."""
        from thematic_workbench.gui.autocode.dialogs import ask_autocode_speaker

        ask_autocode_speaker(self.session, self, self.selected_document_id())

    def request_comment(self) -> None:
        document_id = self.selected_document_id()
        if document_id is not None:
            self.comment_requested.emit("document", document_id)

    def delete_selected(self) -> None:
        facts = self._facts()
        if facts is None or self.session.readonly:
            return
        answer = QMessageBox.question(
            self, "Delete transcript", delete_question(facts),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.session.push(DeleteDocumentCommand(self.session, facts.id, facts.name))

    def _show_empty_hint(self) -> None:
        empty = self.model.rowCount() == 0
        self.empty.setVisible(empty)
        self.view.setVisible(not empty)


def delete_question(facts: DocumentFacts) -> str:
    """What the confirmation says goes with the transcript, and how to get it back."""
    parts = [plural(facts.codings, "coding")] if facts.codings else []
    if facts.annotations:
        parts.append(plural(facts.annotations, "margin note"))
    what = f" with its {' and '.join(parts)}" if parts else ""
    return (f"Delete the transcript '{facts.name}'{what}?\n\n"
            "Edit \N{RIGHTWARDS ARROW} Undo (Ctrl+Z) brings it back while the project is open.")

