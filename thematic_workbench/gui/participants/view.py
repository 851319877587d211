"""The Participants view: a classification sheet of participants × attributes.

Each cell is edited in place with an editor fitting the attribute's type; participants and
attributes are added, renamed and deleted from the toolbar, the context menu (right-click,
the Menu key or Shift+F10) or the keyboard; a table of attributes is imported (after a
preview) or exported as CSV or XLSX. Every change is one undoable command on the session's
undo stack, and the sheet follows changes made elsewhere (the documents panel, an import).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.app.attribute_exchange import write_attributes_file
from thematic_workbench.core.changes import Kind
from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.queries.participant_sheet import (
    AttributeInfo,
    DocumentRef,
    ParticipantRow,
    participant_sheet,
)
from thematic_workbench.core.services.attribute_table import TablePlan, plan_attribute_table
from thematic_workbench.core.wording import plural, sentence
from thematic_workbench.gui.common.change_follower import ChangeFollower
from thematic_workbench.gui.common.choices import QUIET
from thematic_workbench.gui.common.columns import PADDING, fit_to_texts, widest
from thematic_workbench.gui.documents.commands import SetParticipantCommand
from thematic_workbench.gui.participants.commands import (
    AddAttributeCommand,
    AddParticipantCommand,
    DeleteAttributeCommand,
    DeleteParticipantCommand,
    ImportTableCommand,
    RenameAttributeCommand,
    RenameParticipantCommand,
    RetypeAttributeCommand,
    SetNoteCommand,
    SetValueCommand,
)
from thematic_workbench.gui.participants.delegate import AttributeDelegate
from thematic_workbench.gui.participants.dialogs import (
    AssignDialog,
    AttributeDialog,
    ImportPreviewDialog,
    confirm_text,
)
from thematic_workbench.gui.participants.model import LABEL_COLUMN, ParticipantSheetModel
from thematic_workbench.gui.session import ProjectSession, ServiceCommand
from thematic_workbench.io.attribute_table import read_attribute_table

SHEET_KINDS = frozenset({Kind.PARTICIPANT, Kind.ATTRIBUTE, Kind.DOCUMENT})
TABLE_FILTER = "Tables (*.csv *.xlsx);;CSV (*.csv);;Excel workbook (*.xlsx)"
REFUSED = "color: #9A3412;"


class ParticipantsView(QWidget):
    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = ParticipantSheetModel(self)
        self.model.edit = self._edit_cell
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setItemDelegate(AttributeDelegate(self.table))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        rows = self.table.verticalHeader()
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 10)  # compact rows
        self.table.setAccessibleName("Participants and their attributes")
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        header = self.table.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        header.setHighlightSections(False)
        self.table.doubleClicked.connect(self._activated)
        self.table.activated.connect(self._activated)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(QUIET)
        self.summary = QLabel()
        self.summary.setStyleSheet(QUIET)
        self.actions_by_key: dict[str, QAction] = {}
        toolbar = self._build_actions()
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.summary, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 4)
        layout.setSpacing(2)
        layout.addWidget(toolbar)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.follower = ChangeFollower(self, session, self.reload, SHEET_KINDS)
        self.reload()

    # -- actions ---------------------------------------------------------------------------
    def _build_actions(self) -> QToolBar:
        toolbar = QToolBar(self)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        specs: list[tuple[str, str, str | None, Callable[[], object], bool]] = [
            ("add_participant", "Add participant…", "Insert", self.add_participant, True),
            ("add_attribute", "Add attribute…", "Ctrl+Alt+N", self.add_attribute, True),
            ("assign", "Assign transcript…", "Ctrl+T", self.assign_transcript, True),
            ("import", "Import…", None, self.import_file, True),
            ("export", "Export…", None, self.export_file, True),
            ("rename_participant", "Rename participant", "F2", self.rename_participant, False),
            ("note", "Note on participant…", "Ctrl+Alt+O", self.edit_note, False),
            ("delete_participant", "Delete participant…", "Ctrl+Delete",
             self.delete_participant, False),
            ("clear", "Clear value", "Delete", self.clear_or_delete, False),
            ("rename_attribute", "Rename attribute…", "Shift+F2", self.rename_attribute, False),
            ("retype", "Type and values…", "Ctrl+Alt+Y", self.retype_attribute, False),
            ("delete_attribute", "Delete attribute…", "Shift+Delete",
             self.delete_attribute, False),
            ("menu", "Context menu", "Shift+F10", self._keyboard_menu, False),
        ]
        for key, text, shortcut, slot, on_toolbar in specs:
            action = QAction(text, self)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                keys = QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)
                action.setToolTip(f"{text.rstrip('…')} ({keys})")
            action.triggered.connect(lambda _checked=False, act=slot: act())
            self.actions_by_key[key] = action
            self.addAction(action)
            if on_toolbar:
                toolbar.addAction(action)
        toolbar.insertSeparator(self.actions_by_key["import"])
        return toolbar

    def _keyboard_menu(self) -> None:
        index = self.table.currentIndex()
        rect = self.table.visualRect(index) if index.isValid() else self.table.rect()
        self._context_menu(rect.center())

    def _context_menu(self, position: QPoint) -> None:
        index = self.table.indexAt(position)
        if index.isValid():
            self.table.setCurrentIndex(index)
        menu = QMenu(self)
        participant = self._participant()
        attribute = self._attribute()
        if participant is not None:
            if attribute is not None:
                menu.addAction(self.actions_by_key["clear"])
            menu.addAction(self.actions_by_key["rename_participant"])
            menu.addAction(self.actions_by_key["note"])
            menu.addAction(self.actions_by_key["assign"])
            for document in participant.documents:
                menu.addAction(f"Remove {document.name} from {participant.label}",
                               self._unassigner(participant, document))
            menu.addAction(self.actions_by_key["delete_participant"])
            menu.addSeparator()
        if attribute is not None:
            menu.addAction(self.actions_by_key["rename_attribute"])
            menu.addAction(self.actions_by_key["retype"])
            menu.addAction(self.actions_by_key["delete_attribute"])
            menu.addSeparator()
        for key in ("add_participant", "add_attribute", "import", "export"):
            menu.addAction(self.actions_by_key[key])
        menu.popup(self.table.viewport().mapToGlobal(position))
        self._menu = menu  # kept for tests and so it is not collected while shown

    def _header_menu(self, position: QPoint) -> None:
        column = self.table.horizontalHeader().logicalIndexAt(position)
        if self.model.attribute_at(column) is not None:
            row = max(self.table.currentIndex().row(), 0)
            self.table.setCurrentIndex(self.model.index(row, column))
        self._context_menu(self.table.viewport().mapFromGlobal(
            self.table.horizontalHeader().mapToGlobal(position)))

    # -- reading ---------------------------------------------------------------------------
    def reload(self) -> None:
        current = self._current_key()
        with self.session.read() as session:
            sheet = participant_sheet(session)
        self.model.set_sheet(sheet)
        self._fit_columns()
        self._restore(current)
        self.summary.setText(f"{plural(len(sheet.participants), 'participant')} · "
                             f"{plural(len(sheet.attributes), 'attribute')}"
                             + (f" · {plural(len(sheet.unassigned), 'transcript')} without "
                                "a participant" if sheet.unassigned else ""))

    def _fit_columns(self) -> None:
        sheet = self.model.sheet
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        fit_to_texts(self.table, LABEL_COLUMN, [p.label for p in sheet.participants], most=180)
        bold = header.fontMetrics()
        for column, attribute in enumerate(sheet.attributes, 1):
            texts = [p.values.get(attribute.name, "") for p in sheet.participants]
            width = max(widest(self.table, texts), bold.horizontalAdvance(attribute.name),
                        bold.horizontalAdvance(attribute.type_label))
            header.resizeSection(column, min(240, width + PADDING + 12))

    def _current_key(self) -> tuple[int, int | str] | None:
        index = self.table.currentIndex()
        participant = self.model.participant_at(index.row()) if index.isValid() else None
        if participant is None:
            return None
        attribute = self.model.attribute_at(index.column())
        column: int | str = attribute.id if attribute is not None else \
            ("label" if index.column() == LABEL_COLUMN else "transcripts")
        return participant.id, column

    def _restore(self, key: tuple[int, int | str] | None) -> None:
        if key is None:
            return
        row = self.model.row_of(key[0])
        if row < 0:
            return
        column = LABEL_COLUMN if key[1] == "label" else self.model.transcripts_column \
            if key[1] == "transcripts" else self.model.column_of(int(key[1]))
        if column >= 0:
            self.table.setCurrentIndex(self.model.index(row, column))

    def _participant(self) -> ParticipantRow | None:
        return self.model.participant_at(self.table.currentIndex().row())

    def _attribute(self) -> AttributeInfo | None:
        return self.model.attribute_at(self.table.currentIndex().column())

    def show_participant(self, label: str) -> None:
        """Select a participant's label cell (e.g. from another view)."""
        row = next((r for r, p in enumerate(self.model.sheet.participants) if p.label == label),
                   -1)
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, LABEL_COLUMN))

    # -- asking the user (tests replace these) ---------------------------------------------
    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        value, ok = QInputDialog.getText(self, title, label, text=text)
        return value if ok else None

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def preview_import(self, plan: TablePlan) -> bool:
        return ImportPreviewDialog(self, plan).exec() == QDialog.DialogCode.Accepted

    def say(self, text: str, refused: bool = False) -> None:
        self.message.setStyleSheet(REFUSED if refused else QUIET)
        first = text.split(":", 1)[0]
        if "." not in first:  # a file's name keeps its case
            text = text[:1].upper() + text[1:]
        self.message.setText(sentence(text) if text else "")

    # -- changing --------------------------------------------------------------------------
    def _push(self, command: ServiceCommand) -> bool:
        done = self.session.push(command)
        self.say(command.failure or "", refused=not done)
        QTimer.singleShot(0, self.follower.flush)
        return done

    def _edit_cell(self, participant: ParticipantRow, attribute: AttributeInfo | None,
                   text: str) -> bool:
        if attribute is None:
            return self._push(RenameParticipantCommand(self.session, participant.id,
                                                       participant.label, text))
        value = text.strip() or None
        return self._push(SetValueCommand(self.session, participant.id, participant.label,
                                          attribute.name, value))

    def add_participant(self, label: str | None = None) -> bool:
        label = label if label is not None else self.ask_text(
            "Add participant", "Label (a pseudonym such as P12):")
        if not label or not label.strip():
            return False
        command = AddParticipantCommand(self.session, label)
        done = self._push(command)
        if done and command.participant_id is not None:
            self.follower.flush()
            row = self.model.row_of(command.participant_id)
            self.table.setCurrentIndex(self.model.index(row, LABEL_COLUMN))
        return done

    def rename_participant(self) -> None:
        participant = self._participant()
        if participant is not None:
            index = self.model.index(self.model.row_of(participant.id), LABEL_COLUMN)
            self.table.setCurrentIndex(index)
            self.table.edit(index)

    def edit_note(self, note: str | None = None) -> None:
        participant = self._participant()
        if participant is None:
            return
        note = note if note is not None else self.ask_text(
            f"Note on {participant.label}", "Note:", participant.note)
        if note is not None:
            self._push(SetNoteCommand(self.session, participant.id, participant.label,
                                      participant.note, note))

    def delete_participant(self) -> bool:
        participant = self._participant()
        if participant is None:
            return False
        facts = []
        if participant.documents:
            facts.append(f"{plural(len(participant.documents), 'transcript')} will have no "
                         "participant.")
        if participant.values:
            count = len(participant.values)
            facts.append(f"Their {plural(count, 'attribute value')} "
                         f"{'goes' if count == 1 else 'go'} with them.")
        if not self.confirm("Delete participant", confirm_text(
                f"Delete participant {participant.label}", " ".join(facts))):
            return False
        return self._push(DeleteParticipantCommand(self.session, participant.id,
                                                   participant.label))

    def clear_or_delete(self) -> None:
        """Delete: on a value, clear it; on a label, delete the participant."""
        participant, attribute = self._participant(), self._attribute()
        if participant is None:
            return
        if attribute is None:
            if self.table.currentIndex().column() == LABEL_COLUMN:
                self.delete_participant()
            return
        if attribute.name in participant.values:
            self._push(SetValueCommand(self.session, participant.id, participant.label,
                                       attribute.name, None))

    def add_attribute(self, name: str | None = None, type_: str = "text",
                      choices: list[str] | None = None) -> bool:
        if name is None:
            dialog = AttributeDialog(self, "Add attribute")
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            name, type_, choices = dialog.values()
        return self._push(AddAttributeCommand(self.session, name, type_, choices or []))

    def rename_attribute(self, name: str | None = None) -> bool:
        attribute = self._attribute()
        if attribute is None:
            self.say("Choose a cell of the attribute to rename first")
            return False
        name = name if name is not None else self.ask_text(
            "Rename attribute", f"New name for {attribute.name}:", attribute.name)
        if not name:
            return False
        return self._push(RenameAttributeCommand(self.session, attribute.id, attribute.name,
                                                 name))

    def retype_attribute(self, type_: str | None = None,
                         choices: list[str] | None = None) -> bool:
        attribute = self._attribute()
        if attribute is None:
            self.say("Choose a cell of the attribute to change first")
            return False
        if type_ is None:
            dialog = AttributeDialog(self, f"Type and values of {attribute.name}",
                                     attribute.name, attribute.type, attribute.choices,
                                     name_fixed=True)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            _name, type_, choices = dialog.values()
        return self._push(RetypeAttributeCommand(
            self.session, attribute.id, attribute.name,
            (attribute.type, list(attribute.choices)), (type_, choices or [])))

    def delete_attribute(self) -> bool:
        attribute = self._attribute()
        if attribute is None:
            self.say("Choose a cell of the attribute to delete first")
            return False
        count = attribute.values
        consequence = (f"{'The value' if count == 1 else 'The values'} of "
                       f"{plural(count, 'participant')} {'goes' if count == 1 else 'go'} "
                       "with it.") if count else ""
        if not self.confirm("Delete attribute", confirm_text(
                f"Delete attribute {attribute.name}", consequence)):
            return False
        return self._push(DeleteAttributeCommand(self.session, attribute.id, attribute.name))

    def assign_transcript(self, document_id: int | None = None) -> bool:
        participant = self._participant()
        if participant is None:
            self.say("Choose a participant first")
            return False
        owners = [(document, p.label) for p in self.model.sheet.participants
                  if p.id != participant.id for document in p.documents]
        choices: list[tuple[DocumentRef, str | None]] = [
            *((document, None) for document in self.model.sheet.unassigned), *owners]
        if document_id is None:
            if not choices:
                self.say(f"Every transcript already belongs to {participant.label}"
                         if participant.documents else "There are no transcripts yet")
                return False
            dialog = AssignDialog(self, participant.label, choices)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            document_id = dialog.document_id()
        name = next((d.name for d, _o in choices if d.id == document_id), None)
        if document_id is None or name is None:
            return False
        return self._push(SetParticipantCommand(self.session, document_id, name,
                                                participant.label))

    def _unassigner(self, participant: ParticipantRow,
                    document: DocumentRef) -> Callable[[], bool]:
        return lambda: self.unassign(participant, document.id, document.name)

    def unassign(self, participant: ParticipantRow, document_id: int, name: str) -> bool:
        return self._push(SetParticipantCommand(self.session, document_id, name, None))

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid() and index.column() == self.model.transcripts_column:
            self.assign_transcript()

    # -- files -----------------------------------------------------------------------------
    def import_file(self, path: str | Path | None = None) -> bool:
        """Read a table, show what it would add and change, then import it in one step."""
        if path is None:
            chosen, _filter = QFileDialog.getOpenFileName(
                self, "Import participants' attributes", "", TABLE_FILTER)
            if not chosen:
                return False
            path = chosen
        try:
            table = read_attribute_table(path)
            with self.session.read() as session:
                plan = plan_attribute_table(session, table)
        except WorkbenchError as error:
            self.say(str(error), refused=True)
            return False
        if plan.empty:
            self.say(f"{plan.source} holds nothing new: every value is already as in the file")
            return False
        if not self.preview_import(plan):
            return False
        done = self._push(ImportTableCommand(self.session, table))
        if done:
            self.say(plan.summary().replace(" to set", " set").replace(" to change",
                                                                       " changed"))
        return done

    def export_file(self, path: str | Path | None = None) -> bool:
        if path is None:
            chosen, selected = QFileDialog.getSaveFileName(
                self, "Export participants' attributes", "participants.csv", TABLE_FILTER)
            if not chosen:
                return False
            path = chosen if Path(chosen).suffix else \
                chosen + (".xlsx" if "xlsx" in selected and "csv" not in selected else ".csv")
        try:
            self.say(write_attributes_file(self.session.store, path))
        except WorkbenchError as error:
            self.say(str(error), refused=True)
            return False
        return True
