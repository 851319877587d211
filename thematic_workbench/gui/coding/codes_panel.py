"""The codes panel: the coding frame as a tree, a filter, and a context menu on each code.

Every change goes through an undo command pushed with ``session.push``; the panel itself
never writes. The counts are of the codings the window shows; when that is not everyone's,
a line above the tree says whose ("Counts: mine only"), so that nobody misreads them. The
dialogs are module-level functions or Qt's static dialogs, so a test can stand in for the
user.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QModelIndex, QPoint, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.queries.theme_extracts import code_reach
from thematic_workbench.core.wording import plural
from thematic_workbench.gui.coding.codes_model import (
    CODE_ID_ROLE,
    THEME_ID_ROLE,
    CodesModel,
    FrameRow,
)
from thematic_workbench.gui.coding.commands import CodeAttributeCommand, DeleteCodeCommand
from thematic_workbench.gui.coding.panel_commands import MergeCodesCommand
from thematic_workbench.gui.common.coders_shown import ShownNote
from thematic_workbench.gui.common.columns import fix_widths
from thematic_workbench.gui.common.tree_state import TreeState
from thematic_workbench.gui.common.wrapped_delegate import TreeNameDelegate
from thematic_workbench.gui.session import ProjectSession


def ask_definition(parent: QWidget, name: str, current: str) -> str | None:
    """A small dialog to write a code's definition; None if cancelled."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(f"Define '{name}'")
    editor = QPlainTextEdit(current, dialog)
    editor.setPlaceholderText("What this code captures, and when to use it\N{HORIZONTAL ELLIPSIS}")
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel, dialog)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(QLabel(f"Definition of the code <b>{_html(name)}</b>:", dialog))
    layout.addWidget(editor)
    layout.addWidget(buttons)
    dialog.resize(460, 260)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return editor.toPlainText()


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class CodesPanel(QWidget):
    """Selecting a code emits ``code_selected(id)``; selecting a theme ``theme_selected(id)``."""

    code_selected = Signal(int)
    theme_selected = Signal(int)
    comment_requested = Signal(str, int)  # "code" or "theme", its id

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.filter_box = QLineEdit(self)
        self.filter_box.setPlaceholderText("Filter codes and themes")
        self.filter_box.setClearButtonEnabled(True)
        self.model = CodesModel(session, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setAutoAcceptChildRows(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(CodesModel.NAME)
        self.view = self._make_view()
        self.state = TreeState(self.view, self.model)
        self.counts_note = ShownNote(  # whose codings the counts are, unless everyone's
            session, "Counts", "The Codings and People columns count only the codings this "
            "window shows.", self)
        self.counts_note.setObjectName("countsShown")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.filter_box)
        layout.addWidget(self.counts_note)
        layout.addWidget(self.view)
        self.filter_box.textChanged.connect(self._on_filter)
        self.view.selectionModel().currentChanged.connect(self._on_current)
        self.view.customContextMenuRequested.connect(self._on_context_menu)

    def _make_view(self) -> QTreeView:
        view = QTreeView(self)
        view.setObjectName("codesTree")
        view.setModel(self.proxy)
        # Long names wrap onto a second line rather than being cut to a few letters.
        view.setUniformRowHeights(False)
        view.setWordWrap(True)
        view.setItemDelegateForColumn(CodesModel.NAME, TreeNameDelegate(view))
        view.setIndentation(14)  # three levels deep, names need the room more than the tree
        view.setAllColumnsShowFocus(True)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setDragEnabled(True)
        view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        view.setDefaultDropAction(Qt.DropAction.CopyAction)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(CodesModel.NAME, QHeaderView.ResizeMode.Stretch)
        fix_widths(view, (CodesModel.CODINGS, CodesModel.PARTICIPANTS), "00,000")
        return view

    # -- public API ------------------------------------------------------------------------
    def refresh(self) -> None:
        self.model.refresh()

    def selected_code_id(self) -> int | None:
        code_id = self.view.currentIndex().data(CODE_ID_ROLE)
        return code_id if isinstance(code_id, int) else None

    def selected_theme_id(self) -> int | None:
        theme_id = self.view.currentIndex().data(THEME_ID_ROLE)
        return theme_id if isinstance(theme_id, int) else None

    def select_code(self, code_id: int) -> None:
        index = self.proxy.mapFromSource(self.model.first_index_of_code(code_id))
        if index.isValid():
            self.view.setCurrentIndex(index)

    def build_menu(self, code_id: int) -> QMenu:
        """The context menu of a code; each action opens its dialog and pushes a command."""
        menu = QMenu(self)
        entries: list[tuple[str, Callable[[int], object]] | None] = [
            ("Colour\N{HORIZONTAL ELLIPSIS}", self.recolour_code),
            ("Rename\N{HORIZONTAL ELLIPSIS}", self.rename_code),
            ("Define\N{HORIZONTAL ELLIPSIS}", self.define_code),
            ("Merge into\N{HORIZONTAL ELLIPSIS}", self.merge_code),
            ("Comment for review\N{HORIZONTAL ELLIPSIS}",
             partial(self.comment_requested.emit, "code")),
            None,  # a separator
            ("Delete", self.delete_code)]
        for entry in entries:
            if entry is None:
                menu.addSeparator()
                continue
            text, handler = entry
            action = QAction(text, menu)
            action.triggered.connect(partial(handler, code_id))
            menu.addAction(action)
        return menu

    # -- the actions -----------------------------------------------------------------------
    def recolour_code(self, code_id: int) -> None:
        row = self._code(code_id)
        colour = QColorDialog.getColor(QColor(row.colour), self, f"Colour of '{row.name}'")
        if colour.isValid():
            self.session.push(CodeAttributeCommand(self.session, code_id, "colour",
                                                   colour.name().upper(), row.colour))

    def rename_code(self, code_id: int) -> None:
        row = self._code(code_id)
        name, ok = QInputDialog.getText(self, "Rename code", f"New name for '{row.name}':",
                                        QLineEdit.EchoMode.Normal, row.name)
        if ok and name.strip() and name.strip() != row.name:
            self.session.push(CodeAttributeCommand(self.session, code_id, "name", name,
                                                   row.name))

    def define_code(self, code_id: int) -> None:
        row = self._code(code_id)
        definition = ask_definition(self, row.name, row.definition)
        if definition is not None and definition.strip() != row.definition:
            self.session.push(CodeAttributeCommand(self.session, code_id, "definition",
                                                   definition, row.definition))

    def merge_code(self, code_id: int) -> None:
        row = self._code(code_id)
        targets = [(other, name) for other, name in self.model.codes() if other != code_id]
        if not targets:
            QMessageBox.information(self, "Merge code", "There is no other code to merge into.")
            return
        name, ok = QInputDialog.getItem(
            self, "Merge code", f"Merge '{row.name}' and its codings into:",
            [name for _other, name in targets], 0, False)
        target = next((other for other, candidate in targets if candidate == name), None)
        if ok and target is not None:
            self.session.push(MergeCodesCommand(self.session, [code_id], target))

    def delete_code(self, code_id: int) -> None:
        row = self._code(code_id)
        with self.session.read() as s:  # deleting takes every coder's codings, shown or not
            total = code_reach(s, [code_id])[code_id].codings
        codings = f"its {plural(total, 'coding')}" if total else "it"
        if total and total != row.codings:
            codings += " (every coder's, not only those shown)"
        answer = QMessageBox.question(
            self, "Delete code",
            f"Delete the code '{row.name}' and {codings}?\n\nUndo brings it back.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.session.push(DeleteCodeCommand(self.session, code_id))

    # -- slots -----------------------------------------------------------------------------
    def _code(self, code_id: int) -> FrameRow:
        row = self.model.row_of(self.model.first_index_of_code(code_id))
        if row is None:
            raise LookupError(f"no code {code_id} in the codes panel")
        return row

    def _on_filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        if text.strip():
            self.view.expandAll()
        else:
            self.state.apply()

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        code_id = current.data(CODE_ID_ROLE)
        theme_id = current.data(THEME_ID_ROLE)
        if code_id is not None:
            self.code_selected.emit(code_id)
        elif theme_id is not None:
            self.theme_selected.emit(theme_id)

    def _on_context_menu(self, point: QPoint) -> None:
        index = self.view.indexAt(point)
        code_id, theme_id = index.data(CODE_ID_ROLE), index.data(THEME_ID_ROLE)
        if self.session.readonly or (code_id is None and theme_id is None):
            return
        if code_id is not None:
            menu = self.build_menu(code_id)
        else:
            menu = QMenu(self)
            menu.addAction("Comment for review\N{HORIZONTAL ELLIPSIS}").triggered.connect(
                lambda _checked=False: self.comment_requested.emit("theme", theme_id))
        menu.exec(self.view.viewport().mapToGlobal(point))
        menu.deleteLater()
