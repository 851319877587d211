"""The reflective diary: dated entries on the left, the entry being written on the right.

Text and title are saved with Save (Ctrl+S), or on leaving the entry, as one undo step each;
links are changed at once, each an undo step too. Clicking a link emits
``link_activated(kind, id)`` ("code", "theme" or "document") for the main window to route.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QModelIndex, QPoint, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.reflexive_prompts import prompts_for
from thematic_workbench.core.services.diary import EntryView, LinkView
from thematic_workbench.core.wording import plural
from thematic_workbench.gui.common.changes import kinds_of
from thematic_workbench.gui.common.flow_layout import FlowLayout
from thematic_workbench.gui.diary.commands import (
    AddEntryCommand,
    DeleteEntryCommand,
    EditEntryCommand,
    IncludeInAppendixCommand,
    SetEntryLinksCommand,
)
from thematic_workbench.gui.diary.model import (
    ENTRY_ID_ROLE,
    KIND_NAMES,
    DiaryModel,
    stamp_text,
)
from thematic_workbench.gui.diary.widgets import (
    DIARY_STYLE,
    EntryDelegate,
    choose_link,
    link_chip,
    phase_filter,
    render_markdown,
)
from thematic_workbench.gui.session import ProjectSession


def _tidy(title: str, body: str) -> tuple[str, str]:
    """Title and text as the diary service stores them, to tell whether anything changed."""
    return " ".join(title.split()), body.rstrip().lstrip("\n")


class DiaryPanel(QWidget):
    """A searchable list of entries and an editor with a Markdown preview and links."""

    link_activated = Signal(str, int)

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = DiaryModel(session, self)
        self._entry_id: int | None = None
        self._loaded: EntryView | None = None  # the stored values the editor started from
        self._draft_links: list[LinkView] = []
        self._syncing = False
        self.setStyleSheet(DIARY_STYLE)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self._make_list_side())
        splitter.addWidget(self._make_editor())
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([360, 740])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.model.modelReset.connect(self._after_reset)
        session.changed.connect(self._on_changed)
        self.list.selectionModel().currentChanged.connect(self._on_current)
        self._after_reset()
        self._show_prompts()
        self._show(self.model.row_values(0).id if self.model.rowCount() else None)

    def _make_list_side(self) -> QWidget:
        side = QWidget(self)
        self.new_button = QPushButton("New entry", side)
        self.new_button.setToolTip("Start a new diary entry, stamped with the current phase")
        self.search_box = QLineEdit(side)
        self.search_box.setPlaceholderText("Search the diary")
        self.search_box.setClearButtonEnabled(True)
        self.phase_combo = phase_filter(side)
        self.list = QListView(side)
        self.list.setObjectName("diaryList")
        self.list.setModel(self.model)
        self.list.setItemDelegate(EntryDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.empty_label = QLabel(side)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.empty_label.setObjectName("diaryState")
        self.count_label = QLabel(side)
        self.count_label.setObjectName("diaryState")
        self.prompts = QComboBox(side)
        self.prompts.setObjectName("diaryPrompts")
        self.prompts.setToolTip("Reflexive questions for the current phase: choose one to "
                                "start a new entry with it as its heading")
        self.prompts.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.prompts.setMinimumContentsLength(16)
        self.prompts.activated.connect(self._on_prompt)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._on_list_menu)
        top = QHBoxLayout()
        top.addWidget(self.count_label, 1)
        top.addWidget(self.new_button)
        filters = QHBoxLayout()
        filters.addWidget(self.search_box, 1)
        filters.addWidget(self.phase_combo)
        layout = QVBoxLayout(side)
        layout.setContentsMargins(6, 6, 4, 6)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.prompts)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty_label, 1)
        self.new_button.clicked.connect(self.new_entry)
        self.search_box.textChanged.connect(self._on_filter)
        self.phase_combo.currentIndexChanged.connect(self._on_filter)
        return side

    def _make_editor(self) -> QWidget:
        editor = QWidget(self)
        self.title_edit = QLineEdit(editor)
        self.title_edit.setPlaceholderText("Title (optional)")
        font = self.title_edit.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title_edit.setFont(font)
        self.stamp = QLabel(editor)
        self.stamp.setObjectName("diaryStamp")
        self.links_box = QWidget(editor)
        self.links_flow = FlowLayout(self.links_box, spacing=6)
        self.add_link_button = QToolButton(editor)
        self.add_link_button.setText("Add link\N{HORIZONTAL ELLIPSIS}")
        self.add_link_button.setToolTip("Link this entry to a code, a theme or a transcript")
        self.body_edit = QPlainTextEdit(editor)
        self.body_edit.setPlaceholderText(
            "What are you noticing, assuming, feeling? Markdown works: *emphasis*, - lists.")
        self.preview = QTextBrowser(editor)
        self.preview.setOpenExternalLinks(True)
        self.body_edit.document().setDocumentMargin(10)
        self.tabs = QTabWidget(editor)
        self.tabs.addTab(self.body_edit, "Write")
        self.tabs.addTab(self.preview, "Preview")
        self.state = QLabel(editor)
        self.state.setObjectName("diaryState")
        self.appendix_box = QCheckBox("Include in methods appendix", editor)
        self.appendix_box.setToolTip("The methods appendix quotes the diary entries chosen "
                                     "here")
        self.appendix_box.clicked.connect(self.set_in_appendix)
        self.delete_button = QPushButton("Delete entry", editor)
        self.save_button = QPushButton("Save", editor)
        self.save_button.setToolTip("Save this entry (Ctrl+S)")
        self.save_button.setDefault(True)
        self.save_action = QAction("Save diary entry", self)
        self.save_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.save_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.save_action)
        buttons = QHBoxLayout()
        buttons.addWidget(self.state, 1)
        buttons.addWidget(self.appendix_box)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(editor)
        layout.setContentsMargins(8, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.title_edit)
        layout.addWidget(self.stamp)
        layout.addWidget(self.links_box)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self.title_edit.textChanged.connect(self._update_state)
        self.body_edit.textChanged.connect(self._update_state)
        self.tabs.currentChanged.connect(self._update_preview)
        self.save_button.clicked.connect(self.save)
        self.save_action.triggered.connect(self.save)
        self.delete_button.clicked.connect(self.delete_entry)
        self.add_link_button.clicked.connect(self._on_add_link)
        return editor

    # -- public API ------------------------------------------------------------------------
    def current_entry_id(self) -> int | None:
        """The entry in the editor; None while a new one is being written."""
        return self._entry_id

    def is_dirty(self) -> bool:
        """Whether the editor holds text not yet saved."""
        title, body = _tidy(self.title_edit.text(), self.body_edit.toPlainText())
        if self._loaded is None:
            return bool(title or body)
        return (title, body) != (self._loaded.title, self._loaded.body)

    def links(self) -> list[LinkView]:
        """The links of the entry in the editor (of the draft, for a new one)."""
        return list(self._loaded.links) if self._loaded is not None else list(self._draft_links)

    def select_entry(self, entry_id: int | None) -> None:
        """Show an entry in the editor (None: a new one), saving the one being left."""
        if entry_id == self._entry_id and entry_id is not None:
            return
        if self.is_dirty() and not self._save_before_leaving():
            return
        self._show(entry_id)

    def new_entry(self) -> None:
        self.select_entry(None)
        self.body_edit.setFocus()

    def save(self) -> bool:
        """Push the editor's text as an add (new entry) or an edit; False if refused."""
        title, body = self.title_edit.text(), self.body_edit.toPlainText()
        if self._entry_id is None:
            add = AddEntryCommand(self.session, body, title,
                                  [(link.kind, link.id) for link in self._draft_links])
            if not self.session.push(add):
                return False
            self._draft_links = []
            if self.model.row_of(add.entry_id) < 0:  # filtered out: show everything
                self._show_all()
            self._show(add.entry_id)
            return True
        if self._loaded is None or not self.is_dirty():
            return True
        new_title, new_body = _tidy(title, body)
        return self.session.push(EditEntryCommand(
            self.session, self._entry_id,
            body=body if new_body != self._loaded.body else None,
            title=title if new_title != self._loaded.title else None,
            name=self._loaded.title))

    def set_in_appendix(self, included: bool) -> None:
        """Choose the entry shown for the methods appendix, or take it out (one undo step)."""
        if self._loaded is None or self._loaded.in_appendix == included:
            self._update_state()
            return
        self.session.push(IncludeInAppendixCommand(self.session, self._loaded.id, included,
                                                   self._loaded.title))
        self._update_state()

    def start_from_prompt(self, prompt: str) -> None:
        """A new entry whose heading is a reflexive question, the cursor under it."""
        self.select_entry(None)
        if self._loaded is not None:  # the entry being left could not be saved
            return
        if self.body_edit.toPlainText().strip():
            self.body_edit.appendPlainText(f"\n## {prompt}\n\n")
        else:
            self.body_edit.setPlainText(f"## {prompt}\n\n")
        self.tabs.setCurrentWidget(self.body_edit)
        self.body_edit.moveCursor(self.body_edit.textCursor().MoveOperation.End)
        self.body_edit.setFocus()

    def delete_entry(self) -> None:
        """Delete the entry shown (one undo step), or throw away a new one."""
        if self._loaded is None:
            self._show(None)
            return
        self._fill(self._loaded)  # its unsaved text goes with it
        self.session.push(DeleteEntryCommand(self.session, self._loaded.id,
                                             self._loaded.title))

    def add_link(self, kind: str, target_id: int, label: str | None = None) -> None:
        link = LinkView(kind, target_id, label)
        if self._loaded is None:
            if (kind, target_id) not in {(item.kind, item.id) for item in self._draft_links}:
                self._draft_links.append(link)
            self._show_links()
            return
        wanted = [(item.kind, item.id) for item in self._loaded.links] + [(kind, target_id)]
        self.session.push(SetEntryLinksCommand(
            self.session, self._loaded.id, wanted,
            f"Link diary entry to {KIND_NAMES[kind].lower()} '{label}'" if label
            else "Link diary entry"))

    def remove_link(self, kind: str, target_id: int) -> None:
        if self._loaded is None:
            self._draft_links = [item for item in self._draft_links
                                 if (item.kind, item.id) != (kind, target_id)]
            self._show_links()
            return
        wanted = [(item.kind, item.id) for item in self._loaded.links
                  if (item.kind, item.id) != (kind, target_id)]
        self.session.push(SetEntryLinksCommand(self.session, self._loaded.id, wanted,
                                               "Remove diary entry link"))

    # -- showing an entry ------------------------------------------------------------------
    def _show(self, entry_id: int | None) -> None:
        entry = self.model.entry(entry_id)
        self._entry_id = entry.id if entry is not None else None
        self._loaded = entry
        if entry is None:
            self._draft_links = []
        if entry is None or self.is_dirty():  # else the text is already there: keep the cursor
            self._fill(entry)
        else:
            self._show_links()
        self._select_row()

    def _fill(self, entry: EntryView | None) -> None:
        self.title_edit.setText(entry.title if entry is not None else "")
        self.body_edit.setPlainText(entry.body if entry is not None else "")
        self._show_links()
        self._update_preview()

    def _after_reset(self) -> None:
        """Entries reloaded: keep the editor on its entry, and the user's unsaved text."""
        filtered = self.model.filtered
        self.empty_label.setText("No entries match." if filtered else
                                 "No diary entries yet.\nWrite the first one on the right.")
        self.empty_label.setVisible(self.model.rowCount() == 0)
        shown, total = self.model.rowCount(), self.model.total()
        entries = plural(total, "entry", "entries", grouped=False)
        self.count_label.setText(entries if shown == total else f"{shown} of {entries}")
        self.list.setVisible(self.model.rowCount() > 0)
        entry = self.model.entry(self._entry_id)
        was_dirty = self.is_dirty()
        if entry is None and self._entry_id is not None:  # deleted, or its adding undone
            self._entry_id, self._loaded = None, None
            if was_dirty:
                self._select_row()  # the text stays, as a new entry
            else:
                self._show(self.model.row_values(0).id if self.model.rowCount() else None)
            return
        self._loaded = entry
        if entry is not None and not was_dirty and \
                _tidy(self.title_edit.text(), self.body_edit.toPlainText()) != \
                (entry.title, entry.body):
            self._fill(entry)  # changed by an undo or redo
        self._show_links()
        self._select_row()

    def _select_row(self) -> None:
        self._syncing = True
        try:
            row = self.model.row_of(self._entry_id)
            if row < 0:
                self.list.selectionModel().clear()
            else:
                self.list.setCurrentIndex(self.model.index(row, 0))
        finally:
            self._syncing = False
        self._update_stamp()
        self._update_state()

    def _show_links(self) -> None:
        while self.links_flow.count():
            taken = self.links_flow.takeAt(0)
            chip = taken.widget() if taken is not None else None
            if chip is not None and chip is not self.add_link_button:
                chip.setParent(None)  # gone from the panel now, deleted soon
                chip.deleteLater()
        order = list(KIND_NAMES)
        for link in sorted(self.links(), key=lambda item: (  # deleted targets last
                item.label is None, order.index(item.kind), (item.label or "").casefold())):
            self.links_flow.addWidget(link_chip(
                self.links_box, link,
                partial(self.link_activated.emit, link.kind, link.id),
                partial(self.remove_link, link.kind, link.id)))
        self.links_flow.addWidget(self.add_link_button)

    def _show_prompts(self) -> None:
        """The prompts of the phase the project is in now."""
        phase = self.session.phase()
        with QSignalBlocker(self.prompts):
            self.prompts.clear()
            self.prompts.addItem(f"Prompts for phase {phase}\N{HORIZONTAL ELLIPSIS}", None)
            for prompt in prompts_for(phase):
                self.prompts.addItem(prompt, prompt)
                self.prompts.setItemData(self.prompts.count() - 1, prompt,
                                         Qt.ItemDataRole.ToolTipRole)
            self.prompts.setCurrentIndex(0)
        self.prompts.setEnabled(not self.session.readonly)

    def _update_stamp(self) -> None:
        """The entry's stamp; a new one's shows the phase and coder it will be stamped with."""
        self.stamp.setText(stamp_text(self._loaded) if self._loaded is not None else
                           f"New entry \N{MIDDLE DOT} Phase {self.session.phase()} "
                           f"\N{MIDDLE DOT} {self.session.coder} \N{MIDDLE DOT} not saved yet")

    def _update_state(self) -> None:
        """Saved or not, and what can be done: on every keystroke, so no database here."""
        dirty = self.is_dirty()
        if self._loaded is None:
            state = "Not saved yet" if dirty else "Write, then Save (Ctrl+S)"
        else:
            state = "Unsaved changes" if dirty else "Saved \N{CHECK MARK}"
        self.state.setText(state)
        writable = not self.session.readonly
        self.save_button.setEnabled(writable and dirty
                                    and bool(self.body_edit.toPlainText().strip()))
        self.delete_button.setEnabled(writable and (self._loaded is not None or dirty))
        with QSignalBlocker(self.appendix_box):
            self.appendix_box.setChecked(self._loaded is not None and self._loaded.in_appendix)
        self.appendix_box.setEnabled(writable and self._loaded is not None)
        self.new_button.setEnabled(writable)

    def _update_preview(self) -> None:
        if self.tabs.currentWidget() is self.preview:
            render_markdown(self.preview, self.body_edit.toPlainText())

    # -- reacting --------------------------------------------------------------------------
    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._syncing and current.isValid():
            self.select_entry(current.data(ENTRY_ID_ROLE))

    def _on_changed(self, change: Change) -> None:
        if Kind.PROJECT in kinds_of(change):  # the phase may have moved
            self._show_prompts()
            if self._loaded is None:
                self._update_stamp()

    def _on_prompt(self, index: int) -> None:
        prompt = self.prompts.itemData(index)
        with QSignalBlocker(self.prompts):
            self.prompts.setCurrentIndex(0)
        if prompt:
            self.start_from_prompt(str(prompt))

    def _on_list_menu(self, point: QPoint) -> None:
        index = self.list.indexAt(point)
        if index.isValid():
            self.list_menu(index).popup(self.list.viewport().mapToGlobal(point))

    def list_menu(self, index: QModelIndex) -> QMenu:
        """The right-click menu of an entry in the list (a seam for tests)."""
        entry = self.model.entry(index.data(ENTRY_ID_ROLE))
        menu = QMenu(self.list)
        include = menu.addAction("Include in methods appendix")
        include.setCheckable(True)
        include.setChecked(entry is not None and entry.in_appendix)
        include.setEnabled(entry is not None and not self.session.readonly)
        if entry is not None:
            entry_id, title = entry.id, entry.title
            include.triggered.connect(lambda on: self.session.push(
                IncludeInAppendixCommand(self.session, entry_id, on, title)))
        delete = menu.addAction("Delete entry")
        delete.setEnabled(entry is not None and not self.session.readonly)
        if entry is not None:
            delete.triggered.connect(partial(self._delete_from_list, entry.id))
        return menu

    def _delete_from_list(self, entry_id: int) -> None:
        self.select_entry(entry_id)
        if self._entry_id == entry_id:
            self.delete_entry()

    def _save_before_leaving(self) -> bool:
        """Save the entry being left; a new one without text is simply dropped."""
        if self._loaded is None and not self.body_edit.toPlainText().strip():
            return True
        if self.save():
            return True
        self._select_row()  # refused (the error is shown): stay on it
        return False

    def _on_filter(self) -> None:
        self.model.set_filter(self.phase_combo.currentData(), self.search_box.text())

    def _show_all(self) -> None:
        """Clear the search and the phase filter (one reload, not one per widget)."""
        with QSignalBlocker(self.search_box), QSignalBlocker(self.phase_combo):
            self.search_box.clear()
            self.phase_combo.setCurrentIndex(0)
        self.model.set_filter(None, "")

    def _on_add_link(self) -> None:
        linked = {(link.kind, link.id) for link in self.links()}
        targets = [t for t in self.model.link_targets() if (t.kind, t.id) not in linked]
        chosen = choose_link(self, targets)
        if chosen is not None:
            self.add_link(chosen.kind, chosen.id, chosen.label)
