"""The autocode preview: what a search, or a speaker's turns, would code, before coding it.

The dialog shows the code to apply (an existing one or a new name), the unit, how many
passages in how many transcripts, and every passage with its citation and words. It plans
on a worker thread (a search over a large project takes a moment) and plans again when the
code, the unit or the speaker changes. OK codes everything as one undoable step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QThreadPool, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.finding.autocode import HIT, LINE, SENTENCE, TURN, UNITS
from thematic_workbench.core.finding.scope import Scope
from thematic_workbench.core.names import name_key
from thematic_workbench.core.queries.transcript_data import heading_of
from thematic_workbench.core.services.autocoding import (
    AutocodePlan,
    PassageRow,
    SpeakerCount,
    code_choices,
    passage_rows,
    plan_search,
    plan_speaker,
    speaker_counts,
)
from thematic_workbench.core.text.speaker_roles import names_the_interviewer
from thematic_workbench.core.wording import plural, quoted
from thematic_workbench.gui.autocode.commands import AutocodeCommand
from thematic_workbench.gui.common.colours import plain_swatch
from thematic_workbench.gui.common.table import RowsTableModel
from thematic_workbench.gui.common.workers import Job, JobControl
from thematic_workbench.gui.session import ProjectSession

UNIT_LABELS = {HIT: "the words found", SENTENCE: "their sentence",
               LINE: "their line (or lines)", TURN: "their speaker turn"}
SHOWN_CHARS = 400  # of a long passage (a whole turn) the list shows this much
PAUSE_MS = 250  # typing a code name: plan again after this pause

Planner = Callable[[Any, int | None, str], AutocodePlan]  # (read session, code, unit)


class PassageModel(RowsTableModel):
    """The passages a plan would code: citation, transcript and the words coded."""

    HEADERS = ("Citation", "Passage to code")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PassageRow] = []

    def set_rows(self, rows: Sequence[PassageRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index)
        if row is None:
            return None
        words = " ".join(row.text.split())
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return row.citation
            return words if len(words) <= SHOWN_CHARS else words[:SHOWN_CHARS - 1] + "…"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.document}: {words}" if index.column() else row.document
        return None


class AutocodeDialog(QDialog):
    """The preview and its OK. ``planner(session, code_id, unit)`` makes the plan."""

    def __init__(self, session: ProjectSession, parent: QWidget | None, *, title: str,
                 source: str, units: Sequence[str], suggested_name: str,
                 planner: Planner) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("autocodeDialog")
        self.session = session
        self.planner = planner
        self.plan: AutocodePlan | None = None
        self.rows: list[PassageRow] = []
        self._generation = 0
        self._jobs: set[Job] = set()
        self.last_message = ""
        with session.read() as db:
            self._codes = code_choices(db)

        self.source = QLabel(source)
        self.source.setWordWrap(True)
        self.code_box = QComboBox()
        self.code_box.setObjectName("autocodeCode")
        self.code_box.setEditable(True)
        self.code_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.code_box.setMinimumContentsLength(30)
        for _code_id, name, colour in self._codes:
            self.code_box.addItem(plain_swatch(colour), name)
        self.code_box.setCurrentIndex(-1)  # no code's colour beside a new name
        self.code_box.setEditText(suggested_name)
        self.code_note = QLabel()
        self.code_note.setStyleSheet("color: #4B5563;")
        self.unit_box = QComboBox()
        self.unit_box.setObjectName("autocodeUnit")
        for unit in units:
            self.unit_box.addItem(UNIT_LABELS[unit].capitalize(), unit)
        self.unit_box.setEnabled(len(units) > 1)
        self.summary = QLabel("Finding the passages…")
        self.summary.setObjectName("autocodeSummary")
        self.summary.setWordWrap(True)
        self.model = PassageModel(self)
        self.table = QTableView()
        self.table.setObjectName("autocodePassages")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setEnabled(False)

        self.form = QFormLayout()  # the speaker dialog puts its choices first
        self.form.addRow("&Code to apply:", self.code_box)
        self.form.addRow("", self.code_note)
        self.form.addRow("&Unit coded:", self.unit_box)
        layout = QVBoxLayout(self)
        layout.addWidget(self.source)
        layout.addLayout(self.form)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.resize(900, 560)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PAUSE_MS)
        self._timer.timeout.connect(self.replan)
        self.code_box.editTextChanged.connect(lambda _text: self._code_edited())
        self.unit_box.currentIndexChanged.connect(lambda _index: self.replan())
        self.buttons.accepted.connect(self.code_all)
        self.buttons.rejected.connect(self.reject)

    # -- the choices -----------------------------------------------------------------------
    @property
    def code_name(self) -> str:
        return " ".join(self.code_box.currentText().split())

    def code_id(self) -> int | None:
        """The existing code the name names (in any case), or None for a new code."""
        key = name_key(self.code_name)
        return next((code_id for code_id, name, _colour in self._codes
                     if name_key(name) == key), None)

    @property
    def unit(self) -> str:
        return str(self.unit_box.currentData())

    @property
    def ready(self) -> bool:
        """Whether the preview shows the plan for the current choices."""
        return self.plan is not None and not self._jobs and not self._timer.isActive()

    def _code_edited(self) -> None:
        self._show_code_note()
        self.ok.setEnabled(False)
        self._timer.start()

    def _show_code_note(self) -> None:
        if not self.code_name:
            self.code_note.setText("Type a name for a new code, or choose a code.")
        elif self.code_id() is None:
            self.code_note.setText(f"A new code, {quoted(self.code_name)}, will be made.")
        else:
            self.code_note.setText("An existing code: passages it already has are skipped.")

    # -- planning --------------------------------------------------------------------------
    def replan(self) -> None:
        """Plan for the current choices on a worker thread; a newer plan outdates older."""
        self._timer.stop()
        self._show_code_note()
        self._generation += 1
        generation, store = self._generation, self.session.store
        code_id, unit, planner = self.code_id(), self.unit, self.planner

        def work(_control: JobControl) -> tuple[AutocodePlan, list[PassageRow]]:
            with store.read() as db:
                plan = planner(db, code_id, unit)
                return plan, passage_rows(db, plan.passages)

        job = Job(work, self)
        self._jobs.add(job)
        job.finished.connect(lambda result, job=job: self._planned(job, generation, result))
        job.failed.connect(lambda message, job=job: self._failed(job, generation, message))
        self.ok.setEnabled(False)
        self.summary.setText("Finding the passages…")
        job.start(QThreadPool.globalInstance())  # a read: it need not queue behind writes

    def _planned(self, job: Job, generation: int,
                 result: tuple[AutocodePlan, list[PassageRow]]) -> None:
        self._forget(job)
        if generation != self._generation:
            return
        self.plan, self.rows = result
        self.model.set_rows(self.rows)
        self.summary.setText(self.describe(self.plan))
        self.ok.setText(f"Code {plural(len(self.plan.passages), 'passage')}")
        self.ok.setEnabled(bool(self.plan.passages and self.code_name))

    def _failed(self, job: Job, generation: int, message: str) -> None:
        self._forget(job)
        if generation == self._generation:
            self.plan, self.rows = None, []
            self.model.set_rows([])
            self.summary.setText(f"Nothing can be coded: {message}")

    def _forget(self, job: Job) -> None:
        self._jobs.discard(job)
        job.deleteLater()

    def describe(self, plan: AutocodePlan) -> str:
        """The preview's summary line: how much, where, and what is skipped."""
        if not plan.passages and not plan.already:
            what = "hits" if plan.unit != TURN or "search" in plan.source else "turns"
            return f"Nothing to code: no {what} found."
        where = (f"{plural(len(plan.passages), 'passage')} in "
                 f"{plural(plan.documents, 'transcript')} will be coded")
        if "speaker" in plan.source:
            text = f"{where}: the speech of {plural(plan.found, 'turn')}, labels left out."
        else:
            text = f"{where} ({plural(plan.found, 'hit')}, each as {UNIT_LABELS[plan.unit]})."
        if plan.already:
            already = plural(len(plan.already), "passage")
            text += f" {already} {'is' if len(plan.already) == 1 else 'are'} already coded " \
                    f"{quoted(self.code_name)} and will be skipped."
        return text

    # -- coding ----------------------------------------------------------------------------
    def code_all(self) -> bool:
        """Code the previewed passages in one undoable step; say so in the status bar."""
        if self.plan is None or not self.plan.passages or not self.code_name:
            return False
        code_id = self.code_id()
        command = AutocodeCommand(self.session, self.plan, code_id=code_id,
                                  new_code_name=None if code_id is not None else
                                  self.code_name, code_name=self.code_name)
        if not self.session.push(command):
            return False
        message = (f"Coded {plural(len(command.coding_ids), 'passage')} with "
                   f"{quoted(self.code_name)}")
        parent = self.parent()
        window = parent.window() if isinstance(parent, QWidget) else None
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(message, 10_000)
        self.last_message = message
        self.accept()
        return True


def search_dialog(session: ProjectSession, parent: QWidget | None, *, query: str,
                  forms: bool, scope: Scope | None) -> AutocodeDialog:
    """The preview of coding every hit of a search (planning starts at once)."""
    narrowed = scope is not None and not scope.everything

    def planner(db: Any, code_id: int | None, unit: str) -> AutocodePlan:
        return plan_search(db, query, unit=unit, forms=forms, scope=scope, code_id=code_id,
                           coder=session.coder)

    source = (f"Code every hit of the search “{query}”"
              f"{', word forms included' if forms else ''}"
              f"{', within the search filters' if narrowed else ''}.")
    dialog = AutocodeDialog(session, parent, title="Code all hits", source=source,
                            units=UNITS, suggested_name=query.strip().strip('"'),
                            planner=planner)
    dialog.replan()
    return dialog


class SpeakerChooser(QWidget):
    """The speakers with their turns, the interviewer chosen first when recognised."""

    def __init__(self, counts: list[SpeakerCount], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget(self)
        self.list.setObjectName("autocodeSpeakers")
        self.set_counts(counts)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        self.setFocusProxy(self.list)  # the form's "Speaker:" label gives it the focus

    def set_counts(self, counts: list[SpeakerCount]) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for count in counts:
            where = plural(count.documents, "transcript")
            item = QListWidgetItem(f"{count.label} — {plural(count.turns, 'turn')} in {where}")
            item.setData(Qt.ItemDataRole.UserRole, count.label)
            self.list.addItem(item)
        chosen = next((row for row, count in enumerate(counts)
                       if names_the_interviewer(count.label)), 0)
        self.list.blockSignals(False)
        if counts:
            self.list.setCurrentRow(chosen)
        rows = max(2, min(len(counts), 6))  # no empty space under a short list
        self.list.setFixedHeight(rows * self.list.sizeHintForRow(0)
                                 + 2 * self.list.frameWidth() + 2)

    @property
    def speaker(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))


class SpeakerAutocodeDialog(AutocodeDialog):
    """The preview of coding every turn of one speaker, in every transcript or in one."""

    def __init__(self, session: ProjectSession, parent: QWidget | None,
                 counts: list[SpeakerCount], heading: tuple[int, str] | None) -> None:
        chooser = SpeakerChooser(counts)
        super().__init__(session, parent, title="Code a speaker's turns",
                         source="Code every turn of one speaker, the label left out.",
                         units=(TURN,), suggested_name=_suggested(chooser.speaker),
                         planner=lambda db, code_id, unit: self._plan(db, code_id, unit))
        self.speakers = chooser
        self.where = QComboBox()
        self.where.setObjectName("autocodeWhere")
        self.where.addItem("Every transcript", None)
        if heading is not None:
            self.where.addItem(f"Only “{heading[1]}”", heading[0])
            self.where.setCurrentIndex(1)
            with session.read() as db:
                chooser.set_counts(speaker_counts(db, heading[0]))
            self.code_box.setEditText(self.suggested_name())
        self.form.insertRow(0, "&Speaker:", chooser)
        self.form.insertRow(1, "&In:", self.where)
        chooser.list.currentRowChanged.connect(lambda _row: self._speaker_changed())
        self.where.currentIndexChanged.connect(lambda _index: self._where_changed())
        self.replan()

    def suggested_name(self) -> str:
        return _suggested(self.speakers.speaker)

    def _plan(self, db: Any, code_id: int | None, _unit: str) -> AutocodePlan:
        speaker = self._chosen
        if speaker is None:
            raise InvariantError("choose a speaker")
        return plan_speaker(db, speaker, document_id=self._document, code_id=code_id,
                            coder=self.session.coder)

    def replan(self) -> None:
        # the worker reads these copies, never the widgets
        self._chosen, self._document = self.speakers.speaker, self.where.currentData()
        super().replan()

    def _speaker_changed(self) -> None:
        if self.code_id() is None:  # a name the user chose stays; a suggestion follows
            self.code_box.setEditText(self.suggested_name())
        self.replan()

    def _where_changed(self) -> None:
        with self.session.read() as db:
            self.speakers.set_counts(speaker_counts(db, self.where.currentData()))
        self._speaker_changed()


def speaker_dialog(session: ProjectSession, parent: QWidget | None,
                   document_id: int | None = None) -> SpeakerAutocodeDialog | None:
    """The preview of coding every turn of one speaker (None when there are no turns)."""
    with session.read() as db:
        counts = speaker_counts(db)
        heading = heading_of(db, document_id) if document_id is not None else None
    if not counts:
        return None
    return SpeakerAutocodeDialog(session, parent, counts, (document_id, heading[0])
                                 if document_id is not None and heading is not None else None)


def _suggested(speaker: str | None) -> str:
    """A name for the new code: the interviewer's turns are prompts."""
    if speaker is None:
        return ""
    return "Interviewer prompts" if names_the_interviewer(speaker) else f"Turns of {speaker}"


def _writable(session: ProjectSession, parent: QWidget | None) -> bool:
    if session.readonly:
        QMessageBox.information(parent, "Read-only project",
                                f"{session.store.name} is open read-only; nothing can "
                                "be coded.")
        return False
    return True


def ask_autocode_search(session: ProjectSession, parent: QWidget | None, *, query: str,
                        forms: bool, scope: Scope | None) -> None:
    """Preview coding every hit of a search, and code them on OK (one undo step)."""
    if not query.strip() or not _writable(session, parent):
        return
    search_dialog(session, parent, query=query, forms=forms, scope=scope).exec()


def ask_autocode_speaker(session: ProjectSession, parent: QWidget | None,
                         document_id: int | None = None) -> None:
    """Preview coding every turn of a speaker (the interviewer first), and code on OK."""
    if not _writable(session, parent):
        return
    dialog = speaker_dialog(session, parent, document_id)
    if dialog is None:
        QMessageBox.information(parent, "No speaker turns",
                                "No transcript of this project has speaker turns "
                                "(labels such as “Interviewer:” at the start of a line).")
        return
    dialog.exec()
