"""De-identifying a study: review what could identify someone, build the key, apply it.

The list shows every candidate the transcripts hold (names, places, organisations, dates,
phone numbers, e-mail addresses, postcodes, NHS numbers), each in its context, with what to
do: replace it with a pseudonym, leave it (not identifying), or always replace it (kept in
the key for transcripts imported later). The key is saved in its own file, apart from the
project, as the ethics committee asks; applying it replaces every occurrence everywhere in
the project as one audited change that records counts only, erases what earlier audit
events recorded of the real strings (the trail still verifies), rebuilds the project file so
that nothing replaced stays in its bytes, and clears the undo history (an undo would bring a
real string back).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.finding.identifiers import (
    IdentifierCandidate,
    find_identifiers,
    participant_name_entries,
)
from thematic_workbench.core.queries.participant_sheet import participant_sheet
from thematic_workbench.core.records.pseudonyms import KINDS, PERSON, PseudonymEntry
from thematic_workbench.core.services.pseudonymise import PseudonymisationReport, pseudonymise
from thematic_workbench.gui.common.workers import Job
from thematic_workbench.gui.project.participant_names_dialog import ParticipantNamesDialog
from thematic_workbench.gui.session import ProjectSession
from thematic_workbench.io.pseudonym_key import read_pseudonym_key, write_pseudonym_key

REPLACE, LEAVE, ALWAYS = "Replace", "Leave", "Always replace"
DECISIONS = (REPLACE, LEAVE, ALWAYS)
TIPS = {REPLACE: "Replace it with the pseudonym in this study",
        LEAVE: "Not identifying: leave it as it is",
        ALWAYS: "Replace it, and keep it in the key for transcripts imported later"}
PREFIX = {"person": "Person", "place": "Place", "organisation": "Organisation",
          "date": "Date", "contact": "Contact", "other": "Redacted"}
COLUMNS = ("What to do", "Found", "Kind", "Pseudonym", "Count", "First seen")


SERVER_NOTE = ("On a team server the replaced values leave the database's storage when "
               "PostgreSQL vacuums it: ask the server's administrator.")


def suggested(kind: str, number: int) -> str:
    """A neutral pseudonym: ``[Person 3]``, ``[Place 1]``."""
    return f"[{PREFIX.get(kind, 'Redacted')} {number}]"


class PseudonymsDialog(QDialog):
    """The review list and its key file."""

    def __init__(self, session: ProjectSession, parent: QWidget | None = None,
                 ask_file: Callable[[str, bool], Path | None] | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.key_path: Path | None = None
        self.key: list[PseudonymEntry] = []
        self.saved: set[PseudonymEntry] | None = None  # the key as its file holds it
        self.word_list: list[str] = []  # the user's own strings to look for
        self.decided: dict[str, tuple[str, str, str]] = {}  # kept while the list is refilled
        self.candidates: list[IdentifierCandidate] = []
        self.jobs: list[Job] = []
        self.report: PseudonymisationReport | None = None
        self._ask_file = ask_file or self._file_dialog
        self.setWindowTitle("De-identify the study")
        self.resize(900, 560)
        intro = QLabel("Everything in the transcripts that could identify someone. Choose "
                       "what to do with each, give it a pseudonym, save the key in its own "
                       "file (keep it apart from the project), then apply it: every "
                       "occurrence is replaced everywhere in the project, and codings stay "
                       "on their words.", self)
        intro.setWordWrap(True)
        self.key_label = QLabel(self)
        names = QPushButton("Participants' real names…", self)
        names.setToolTip("Type each participant's real name, to be looked for and replaced "
                         "by their label; kept in the key file only")
        self.look_for = QLineEdit(self)
        self.look_for.setPlaceholderText("Another name, nickname or word to look for")
        self.look_for.setClearButtonEnabled(True)
        add_word = QPushButton("Look for it", self)
        finding = QHBoxLayout()
        finding.addWidget(names)
        finding.addSpacing(12)
        finding.addWidget(self.look_for, 1)
        finding.addWidget(add_word)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._menu)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.context = QLabel(self)
        self.context.setWordWrap(True)
        self.context.setTextFormat(Qt.TextFormat.RichText)
        self.context.setMinimumHeight(48)
        self.status = QLabel(self)
        open_key = QPushButton("Open key…", self)
        self.save_key = QPushButton("Save key…", self)
        self.apply_button = QPushButton("Apply to the study…", self)
        close = QPushButton("Close", self)
        buttons = QHBoxLayout()
        for button in (open_key, self.save_key):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.apply_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.key_label)
        layout.addLayout(finding)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.context)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        open_key.clicked.connect(self.open_key)
        self.save_key.clicked.connect(self.save)
        self.apply_button.clicked.connect(self.apply)
        close.clicked.connect(self.reject)
        names.clicked.connect(self.enter_participant_names)
        add_word.clicked.connect(self.add_word)
        self.look_for.returnPressed.connect(self.add_word)
        self.table.currentCellChanged.connect(lambda row, *_: self._show_context(row))
        self.apply_button.setEnabled(not session.readonly)
        self._show_key()
        self.look_for_candidates()

    # -- the key file ------------------------------------------------------------------------
    def _file_dialog(self, title: str, saving: bool) -> Path | None:
        start = str(self.key_path or Path.home() / "pseudonym key.csv")
        if saving:
            name, _ = QFileDialog.getSaveFileName(self, title, start, "CSV (*.csv)")
        else:
            name, _ = QFileDialog.getOpenFileName(self, title, start, "CSV (*.csv)")
        return Path(name) if name else None

    def _show_key(self) -> None:
        where = str(self.key_path) if self.key_path else "not saved yet"
        changed = ", changed since" if self.key_path and not self._is_saved() else ""
        self.key_label.setText(f"Key file: {where} ({len(self.key)} entries{changed})")

    def _is_saved(self) -> bool:
        return self.saved is not None and set(self.entries()) == self.saved

    def open_key(self) -> None:
        """Open a key file; what was chosen here and is not in it stays, to be saved."""
        path = self._ask_file("Open a pseudonym key", False)
        if path is None:
            return
        try:
            opened = read_pseudonym_key(path)
        except Exception as error:  # a bad file: its one line
            QMessageBox.warning(self, "Cannot read the key", str(error))
            return
        self._remember()
        in_file = {entry.real.casefold() for entry in opened}
        for real in in_file:  # the file's pseudonym, not what the row said
            self.decided.pop(real, None)
        made_here = [entry for entry in self.entries() if entry.real.casefold() not in in_file]
        self.key, self.key_path, self.saved = opened + made_here, path, set(opened)
        self._show_key()
        self.look_for_candidates()

    def entries(self) -> list[PseudonymEntry]:
        """The key as the list now says: each row to replace, with its pseudonym and kind."""
        chosen = []
        for row in range(self.table.rowCount()):
            decision = self._decision(row).currentText()
            if decision == LEAVE:
                continue
            real = self._text(row, 1)
            pseudonym = self._text(row, 3).strip()
            kind = self._kind(row).currentText()
            chosen.append(PseudonymEntry(real, pseudonym or suggested(kind, row + 1), kind))
        listed = {entry.real.casefold() for entry in chosen}
        kept = [entry for entry in self.key if entry.real.casefold() not in listed]
        return chosen + kept  # key entries not found now stay for later transcripts

    def save(self, path: Path | None = None) -> bool:
        """Write the key as the list now says, to ``path`` or where the user chooses."""
        path = path or self._ask_file("Save the pseudonym key (keep it apart from the "
                                      "project)", True)
        if path is None:
            return False
        if path.suffix.lower() != ".csv":
            path = path.with_name(path.name + ".csv")
        try:
            count = write_pseudonym_key(path, self.entries())
        except Exception as error:
            QMessageBox.warning(self, "Cannot save the key", str(error))
            return False
        self.key_path, self.key = path, self.entries()
        self.saved = set(self.key)
        self._show_key()
        self.status.setText(f"Saved {count} key entries to {path.name}.")
        return True

    # -- what to look for --------------------------------------------------------------------
    def enter_participant_names(self) -> None:
        """Ask for the participants' real names and put them in the key (not the project)."""
        with self.session.read() as session:
            participants = participant_sheet(session).participants
        labels = {f"[{participant.label}]": participant.label for participant in participants}
        known: dict[str, str] = {}
        for entry in self.key:  # the whole names a key made here holds, longest first
            label = labels.get(entry.pseudonym)
            if entry.kind == PERSON and label and len(entry.real) > len(known.get(label, "")):
                known[label] = entry.real
        asked = ParticipantNamesDialog(participants, known, self)
        if not asked.exec():
            return
        self._remember()
        added = participant_name_entries(asked.names())
        self.key = [entry for entry in self.key
                    if not (entry.kind == PERSON and entry.pseudonym in labels)] + added
        for entry in added:  # the label now, whatever the row said before
            self.decided.pop(entry.real.casefold(), None)
        self.look_for_candidates()

    def add_word(self) -> None:
        """Look for the string typed too (a nickname, a ward, a street)."""
        word = " ".join(self.look_for.text().split())
        if not word:
            return
        self._remember()
        if word.casefold() not in {known.casefold() for known in self.word_list}:
            self.word_list.append(word)
        self.look_for.clear()
        self.look_for_candidates()

    # -- the list ----------------------------------------------------------------------------
    def look_for_candidates(self) -> None:
        """Look for candidates off the GUI thread, then fill the list."""
        key, words = list(self.key), list(self.word_list)
        read = self.session.read
        self.status.setText("Looking for names, places, dates and contacts…")

        def work(_control: Any) -> list[IdentifierCandidate]:
            with read() as session:
                return find_identifiers(session, key, words)
        self._start(Job(work, self), self.fill)

    def _remember(self) -> None:
        """Keep the decisions made in the list, for the list refilled after a new search."""
        for row in range(self.table.rowCount()):
            self.decided[self._text(row, 1).casefold()] = (
                self._decision(row).currentText(), self._kind(row).currentText(),
                self._text(row, 3))

    def fill(self, candidates: list[IdentifierCandidate]) -> None:
        self.candidates = candidates
        in_key = {entry.real.casefold(): entry for entry in self.key}
        taken = {entry.pseudonym for entry in self.key} | \
            {pseudonym for _decision, _kind, pseudonym in self.decided.values()}
        numbers: Counter[str] = Counter()
        self.table.setRowCount(len(candidates))
        for row, candidate in enumerate(candidates):
            entry = in_key.get(candidate.text.casefold())
            kind = entry.kind if entry else candidate.kind
            decision = QComboBox(self.table)
            decision.addItems(DECISIONS)
            for index, choice in enumerate(DECISIONS):
                decision.setItemData(index, TIPS[choice], Qt.ItemDataRole.ToolTipRole)
            decision.setCurrentText(ALWAYS if entry else REPLACE)
            self.table.setCellWidget(row, 0, decision)
            self.table.setItem(row, 1, _fixed(candidate.text))
            kinds = QComboBox(self.table)
            kinds.addItems(KINDS)
            kinds.setCurrentText(kind)
            self.table.setCellWidget(row, 2, kinds)
            if entry:
                pseudonym = entry.pseudonym
            else:  # the next neutral pseudonym no one has yet
                numbers[kind] += 1
                while suggested(kind, numbers[kind]) in taken:
                    numbers[kind] += 1
                pseudonym = suggested(kind, numbers[kind])
            if candidate.text.casefold() in self.decided:
                chosen, kind, pseudonym = self.decided[candidate.text.casefold()]
                decision.setCurrentText(chosen)
                kinds.setCurrentText(kind)
            self.table.setItem(row, 3, QTableWidgetItem(pseudonym))
            self.table.setItem(row, 4, _fixed(str(candidate.count)))
            where = f"{candidate.document}, line {candidate.line}" if candidate.line else \
                candidate.document
            self.table.setItem(row, 5, _fixed(where))
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(2)
        self.status.setText(f"{len(candidates)} candidates. Check each in its context below; "
                            "set Leave for what does not identify anyone.")
        if candidates:
            self.table.setCurrentCell(0, 1)
        self._show_key()

    def _menu(self, point: QPoint) -> None:
        """Right-click on a row: what to do with it."""
        row = self.table.rowAt(point.y())
        if row < 0:
            return
        self.table.selectRow(row)
        menu = QMenu(self)
        menu.setToolTipsVisible(True)
        for choice in DECISIONS:
            action = menu.addAction(choice)
            action.setCheckable(True)
            action.setChecked(self._decision(row).currentText() == choice)
            action.setToolTip(TIPS[choice])
            action.triggered.connect(lambda _=False, c=choice: self._decision(row)
                                     .setCurrentText(c))
        self.popup(menu, self.table.viewport().mapToGlobal(point))

    def popup(self, menu: QMenu, where: QPoint) -> None:
        """Show a menu (a seam for tests, which cannot answer a modal menu)."""
        menu.exec(where)

    def _decision(self, row: int) -> QComboBox:
        widget = self.table.cellWidget(row, 0)
        assert isinstance(widget, QComboBox)
        return widget

    def _kind(self, row: int) -> QComboBox:
        widget = self.table.cellWidget(row, 2)
        assert isinstance(widget, QComboBox)
        return widget

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def _show_context(self, row: int) -> None:
        """The line the candidate first occurs on, the candidate in bold."""
        if not 0 <= row < len(self.candidates):
            self.context.clear()
            return
        first = self.candidates[row].positions[0]
        text = self.session.transcripts.get(first.document_id).text
        start = text.rfind("\n", 0, first.start) + 1
        end = text.find("\n", first.end)
        end = len(text) if end == -1 else end
        before, found, after = (text[start:first.start], text[first.start:first.end],
                                text[first.end:end])
        where = f"{first.document}, line {first.line}" if first.line else first.document
        self.context.setText(f"<i>{_escape(where)}</i> &nbsp; {_escape(before[-160:])}"
                             f"<b>{_escape(found)}</b>{_escape(after[:160])}")

    # -- applying ----------------------------------------------------------------------------
    def apply(self) -> None:
        entries = self.entries()
        if not entries:
            self.status.setText("Nothing to replace: every candidate is set to Leave.")
            return
        if not self._is_saved() and not self.save(self.key_path):
            self.status.setText("Save the key first: without it the pseudonyms cannot be "
                                "traced back, even by you.")
            return
        sure = QMessageBox.question(
            self, "Apply the key",
            f"Replace {len(entries)} real strings by their pseudonyms everywhere in the "
            "project? This cannot be undone; the key you saved is the only way back.")
        if sure != QMessageBox.StandardButton.Yes:
            return
        self.run_key(entries)

    def run_key(self, entries: list[PseudonymEntry]) -> None:
        store, coder, session = self.session.store, self.session.coder, self.session

        def work(_control: Any) -> Any:
            with store.transaction(coder) as tx:
                report, change = pseudonymise(tx, entries)
            try:  # the key is applied: now no replaced string may stay in the file's bytes
                note = "" if store.compact() else SERVER_NOTE
            except WorkbenchError as error:
                note = str(error)
            return report, change, note
        self.status.setText("Replacing…")

        def done(result: Any) -> None:
            self.report, change, note = result
            session.announce(change, "pseudonymisation")
            session.undo_stack.clear()  # an undo would put real strings back
            said = self.report.lines()[0]
            erased = (f" {self.report.trail_erased} audit events that held a real string "
                      "were erased; the trail still verifies." if self.report.trail_erased
                      else "")
            self.status.setText(f"{said[:1].upper()}{said[1:]} everywhere in the project."
                                f"{erased} Keep the key file apart from it."
                                + (f" {note}" if note else ""))
        self._start(Job(work, self), done)

    def _start(self, job: Job, done: Callable[[Any], None]) -> None:
        """Run ``job`` off the GUI thread; ``done`` gets its result, a failure its line."""
        self.jobs.append(job)

        def finished(result: Any) -> None:
            self.jobs.remove(job)
            done(result)

        def failed(message: str) -> None:
            self.jobs.remove(job)
            self.status.setText(message)
        job.finished.connect(finished)
        job.failed.connect(failed)
        job.start()


def _fixed(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
