"""The Search tab: a query over every transcript, narrowed by filters, as keyword-in-context
lines that open the transcript at the hit.

Searching runs on a worker thread: with word forms over two million words it takes tens of
milliseconds, but a rare word, every hit of a frequent one, or a NEAR over a large project
can take a second, too long for the GUI thread. A newer search outdates any still running.
Double-click or Enter on a hit emits ``result_activated(document_id, start, end)`` (code
points), which the window answers by showing the passage.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPoint, QSettings, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.finding.filter_choices import Choices, read_choices
from thematic_workbench.core.finding.scope import Scope
from thematic_workbench.core.finding.search import SearchHit, search_project
from thematic_workbench.core.wording import plural
from thematic_workbench.gui.common.flow_layout import FlowLayout
from thematic_workbench.gui.common.workers import Job, JobControl
from thematic_workbench.gui.search.model import (
    AFTER,
    BEFORE,
    EXPORT_HEADERS,
    HIT,
    SPAN_ROLE,
    ContextDelegate,
    HitsModel,
    citation,
    hit_rows,
)
from thematic_workbench.gui.session import ProjectSession
from thematic_workbench.io.tabular import write_csv, write_xlsx

MAX_RESULTS = 2000
TYPING_PAUSE_MS = 300
HINT = ('Type words, risk* for a prefix, "an exact phrase"; combine with AND, OR, NOT, '
        "NEAR/5 and parentheses.")
QUERY_TIP = ("Words match whole words in any case; risk* matches words starting with risk; "
             '"an exact phrase" its words in order.\nAND, OR, NOT (in capitals) decide per '
             "transcript; a NEAR/5 b keeps a and b within 5 words of each other (NEAR alone: "
             "10).\nWords side by side must all be in a transcript. Parentheses group.")
FORMS_TIP = "Also find the word's forms in the project's language: risk finds risks, " \
            "risked, risking and risky"
FOLDER_KEY = "search/export_folder"
FILTERS = {".csv": "CSV files (*.csv)", ".xlsx": "Excel workbooks (*.xlsx)"}


class SearchView(QWidget):
    """The query box and filters, a line saying what was found, and the hits in context."""

    result_activated = Signal(int, int, int)
    search_finished = Signal(int)  # how many hits are shown
    export_finished = Signal(str)  # what the status line says after an export

    def __init__(self, session: ProjectSession, parent: QWidget | None = None,
                 settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.model = HitsModel(self)
        self.query_edit = QLineEdit(self)
        self.query_edit.setObjectName("searchQuery")
        self.query_edit.setPlaceholderText('Search every transcript — words, risk*, "a phrase", '
                                           "AND, OR, NOT, NEAR")
        self.query_edit.setClearButtonEnabled(True)
        self.query_edit.setToolTip(QUERY_TIP)
        self.forms_check = QCheckBox("&Word forms", self)
        self.forms_check.setToolTip(FORMS_TIP)
        self.search_button = QPushButton("&Search", self)
        self.document_choice = self._chooser("All transcripts", "searchDocument")
        self.participant_choice = self._chooser("Everyone", "searchParticipant")
        self.attribute_choice = self._chooser("Any attribute value", "searchAttribute")
        self.speaker_choice = self._chooser("Every speaker", "searchSpeaker")
        self.not_speaker_choice = self._chooser("Nobody", "searchNotSpeaker")
        self.status = QLabel(HINT, self)
        self.status.setObjectName("searchStatus")
        self.status.setWordWrap(True)
        self.export_button = QPushButton("E&xport hits…", self)
        self.export_button.setToolTip("Save every hit, with its citation and context, as a "
                                      "CSV file or an Excel workbook")
        self.code_button = QPushButton("&Code all hits…", self)
        self.code_button.setToolTip("Code every hit (or its sentence, line or turn) in one "
                                    "undoable step, after a preview")
        self.view = QTableView(self)
        self.view.setObjectName("searchResults")
        self.view.setModel(self.model)
        self.view.setItemDelegate(ContextDelegate(self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        for column, width in enumerate((130, 80, 90, 44)):
            self.view.setColumnWidth(column, width)
        header.setSectionResizeMode(BEFORE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(HIT, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(AFTER, QHeaderView.ResizeMode.Stretch)
        self._layout()

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.run_search)
        self._generation = 0
        self._jobs: set[Job] = set()
        self._choices: Choices | None = None
        self._shown: tuple[str, bool, Scope] | None = None  # what the hits shown answer
        self.query_edit.textEdited.connect(lambda _text: self._timer.start())
        self.query_edit.returnPressed.connect(self.run_search)
        self.search_button.clicked.connect(self.run_search)
        self.forms_check.toggled.connect(lambda _on: self._filters_changed())
        for chooser in self._choosers():
            chooser.activated.connect(lambda _row: self._filters_changed())
        self.view.activated.connect(self._on_activated)
        self.view.customContextMenuRequested.connect(self._menu)
        self.export_button.clicked.connect(self.export_hits)
        self.code_button.clicked.connect(self.code_all_hits)
        self.open_action = QAction("&Open in transcript", self)
        self.open_action.setShortcut(QKeySequence(Qt.Key.Key_Return))
        self.open_action.triggered.connect(self._open_current)
        session.changed.connect(self._on_changed)
        self._update_buttons()
        self.refresh_choices()

    def _chooser(self, everything: str, name: str) -> QComboBox:
        chooser = QComboBox(self)
        chooser.setObjectName(name)
        chooser.addItem(everything, None)
        chooser.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        chooser.setMinimumContentsLength(10)
        chooser.setMaximumWidth(220)
        return chooser

    def _choosers(self) -> tuple[QComboBox, ...]:
        return (self.document_choice, self.participant_choice, self.attribute_choice,
                self.speaker_choice, self.not_speaker_choice)

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.query_edit, 1)
        top.addWidget(self.forms_check)
        top.addWidget(self.search_button)
        filters = QWidget(self)
        flow = FlowLayout(filters, spacing=8)  # wraps rather than widen a narrow centre
        for text, chooser in (("&Transcript", self.document_choice),
                              ("&Participant", self.participant_choice),
                              ("&Attribute", self.attribute_choice),
                              ("&Only speaker", self.speaker_choice),
                              ("&Leave out", self.not_speaker_choice)):
            pair = QWidget(filters)
            row = QHBoxLayout(pair)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(4)
            label = QLabel(text, pair)
            label.setBuddy(chooser)
            row.addWidget(label)
            row.addWidget(chooser)
            flow.addWidget(pair)
        found = QHBoxLayout()
        found.addWidget(self.status, 1)
        found.addWidget(self.export_button)
        found.addWidget(self.code_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(filters)
        layout.addLayout(found)
        layout.addWidget(self.view, 1)

    # -- public API ------------------------------------------------------------------------
    def search(self, query: str) -> None:
        """Show this query in the box and search for it now."""
        self.query_edit.setText(query)
        self.run_search()

    def focus_query(self) -> None:
        self.query_edit.setFocus()
        self.query_edit.selectAll()

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def scope(self) -> Scope:
        """The filters chosen, as a scope."""
        def chosen(chooser: QComboBox) -> str | None:  # a label, or None for everyone
            data = chooser.currentData()
            return data if isinstance(data, str) else None

        document = self.document_choice.currentData()
        attribute = self.attribute_choice.currentData()  # (name, value), or None
        participant = chosen(self.participant_choice)
        speaker = chosen(self.speaker_choice)
        not_speaker = chosen(self.not_speaker_choice)
        return Scope(
            documents=frozenset({document}) if isinstance(document, int) else None,
            participants=None if participant is None else frozenset({participant}),
            attributes=((str(attribute[0]), str(attribute[1])),)
            if isinstance(attribute, (tuple, list)) else (),
            speakers=None if speaker is None else frozenset({speaker}),
            not_speakers=frozenset() if not_speaker is None else frozenset({not_speaker}))

    def run_search(self) -> None:
        """Search for the box's text on a worker thread; a newer search outdates older ones."""
        self._timer.stop()
        self._generation += 1
        query, forms, scope = self.query_edit.text().strip(), self.forms_check.isChecked(), \
            self.scope()
        if not query:
            self._show((query, forms, scope), [], 0.0)
            return
        generation, store = self._generation, self.session.store

        def work(_control: JobControl) -> tuple[list[SearchHit], float]:
            began = time.perf_counter()
            with store.read() as db:
                found = search_project(db, query, MAX_RESULTS + 1, forms=forms, scope=scope)
            return found, time.perf_counter() - began

        job = Job(work, self)
        self._jobs.add(job)
        job.finished.connect(lambda result, job=job: self._done(
            job, generation, (query, forms, scope), result))
        job.failed.connect(lambda message, job=job: self._failed(job, generation, message))
        self.status.setText("Searching…")
        job.start(QThreadPool.globalInstance())  # a read: it need not queue behind imports

    def refresh_choices(self) -> None:
        """Fill the filter choosers afresh (off the GUI thread: speakers read every turn)."""
        store = self.session.store

        def work(_control: JobControl) -> Choices:
            with store.read() as db:
                return read_choices(db)

        job = Job(work, self)
        self._jobs.add(job)
        job.finished.connect(lambda choices, job=job: self._fill(job, choices))
        job.failed.connect(lambda _message, job=job: self._forget(job))
        job.start(QThreadPool.globalInstance())

    # -- filters ---------------------------------------------------------------------------
    def _fill(self, job: Job, choices: Choices) -> None:
        self._forget(job)
        self._choices = choices
        items: list[tuple[QComboBox, list[tuple[str, object]]]] = [
            (self.document_choice, list(choices.documents)),
            (self.participant_choice, [(label, label) for label in choices.participants]),
            (self.attribute_choice, [(f"{name} = {value}", (name, value))
                                     for name, value in choices.attributes]),
            (self.speaker_choice, [(label, label) for label in choices.speakers]),
            (self.not_speaker_choice, [(label, label) for label in choices.speakers])]
        for chooser, entries in items:
            current = chooser.currentData()
            chooser.blockSignals(True)
            while chooser.count() > 1:
                chooser.removeItem(1)
            for text, data in entries:
                chooser.addItem(text, data)
            found = chooser.findData(current) if current is not None else 0
            chooser.setCurrentIndex(max(found, 0))
            chooser.setEnabled(bool(entries))
            chooser.blockSignals(False)

    def choose(self, chooser: QComboBox, text: str) -> None:
        """Pick a chooser's entry by its text, as the user would (tests and shortcuts)."""
        row = chooser.findText(text)
        if row < 0:
            raise WorkbenchError(f"no '{text}' to choose")
        chooser.setCurrentIndex(row)
        self._filters_changed()

    def _filters_changed(self) -> None:
        if self.query_edit.text().strip():
            self.run_search()

    # -- results ---------------------------------------------------------------------------
    def _done(self, job: Job, generation: int, asked: tuple[str, bool, Scope],
              result: tuple[list[SearchHit], float]) -> None:
        self._forget(job)
        if generation == self._generation:
            self._show(asked, *result)

    def _failed(self, job: Job, generation: int, message: str) -> None:
        self._forget(job)
        if generation == self._generation:
            self.model.set_hits([])
            self._shown = None
            self.status.setText(f"The search failed: {message}")
            self._update_buttons()
            self.search_finished.emit(0)

    def _forget(self, job: Job) -> None:
        self._jobs.discard(job)
        job.deleteLater()

    def _show(self, asked: tuple[str, bool, Scope], hits: list[SearchHit],
              seconds: float) -> None:
        query = asked[0]
        more = len(hits) > MAX_RESULTS
        hits = hits[:MAX_RESULTS]
        self.model.set_hits(hits)
        self._shown = asked if query else None
        if hits:
            self.view.selectRow(0)
        documents = len({hit.document_id for hit in hits})
        found = f"{plural(len(hits), 'hit')} in {plural(documents, 'transcript')}"
        if not query:
            text = HINT
        elif not hits:
            text = f"No hits for {query}"
        elif more:
            text = (f"The first {found} are shown; Export hits saves them all, or add words "
                    "or filters to narrow the search")
        else:
            text = found
        self.status.setText(text)
        self.status.setToolTip(f"Searched in {seconds * 1000:.0f} ms" if query else "")
        self._update_buttons()
        self.search_finished.emit(len(hits))

    def _update_buttons(self) -> None:
        has_hits = bool(self.model.hits)
        self.export_button.setEnabled(has_hits)
        self.code_button.setEnabled(has_hits and not self.session.readonly)

    def _on_changed(self, change: Change) -> None:
        """Transcripts, participants, attributes or speakers changed: filters and hits afresh."""
        # a speaker mapped to a participant changes its document; the project, its language
        if change.kinds() & {Kind.DOCUMENT, Kind.PARTICIPANT, Kind.ATTRIBUTE, Kind.PROJECT}:
            self.refresh_choices()
            if self.query_edit.text().strip():
                self._timer.start()

    # -- acting on hits ----------------------------------------------------------------------
    def _on_activated(self, index: QModelIndex) -> None:
        span = index.data(SPAN_ROLE)
        if span is not None:
            self.result_activated.emit(*span)

    def _open_current(self) -> None:
        self._on_activated(self.view.currentIndex())

    def _menu(self, point: QPoint) -> None:
        index = self.view.indexAt(point)
        menu = QMenu(self)
        if index.isValid():
            self.view.setCurrentIndex(index)
            menu.addAction(self.open_action)
            copy = menu.addAction("&Copy the line with its citation")
            hit = self.model.hits[index.row()]
            copy.triggered.connect(lambda: QApplication.clipboard().setText(
                f"{hit.before}{hit.match}{hit.after} ({citation(hit)})"))
            menu.addSeparator()
        export = menu.addAction("E&xport hits…")
        export.setEnabled(self.export_button.isEnabled())
        export.triggered.connect(self.export_hits)
        code = menu.addAction("&Code all hits…")
        code.setEnabled(self.code_button.isEnabled())
        code.triggered.connect(self.code_all_hits)
        menu.popup(self.view.viewport().mapToGlobal(point))

    def code_all_hits(self) -> None:
        """The autocode dialog, with its preview, for the search shown."""
        if self._shown is None:
            return
        query, forms, scope = self._shown
        from thematic_workbench.gui.autocode.dialogs import ask_autocode_search

        ask_autocode_search(self.session, self, query=query, forms=forms, scope=scope)

    def ask_export_path(self) -> Path | None:
        """The file to write (CSV or XLSX by its name or the chosen type); tests replace it."""
        settings = self.settings or QSettings()
        folder = Path(str(settings.value(FOLDER_KEY, str(Path.home()))))
        name, chosen = QFileDialog.getSaveFileName(
            self, "Export the search hits", str(folder / "search hits.csv"),
            ";;".join(FILTERS.values()))
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() not in FILTERS:
            suffix = next((s for s, text in FILTERS.items() if text == chosen), ".csv")
            path = path.with_name(path.name + suffix)
        settings.setValue(FOLDER_KEY, str(path.parent))
        return path

    def export_hits(self) -> Job | None:
        """Every hit of the search shown (not only the first shown) to a CSV or XLSX file."""
        if self._shown is None:
            return None
        path = self.ask_export_path()
        if path is None:
            return None
        query, forms, scope = self._shown
        store = self.session.store

        def work(_control: JobControl) -> int:
            with store.read() as db:
                rows = hit_rows(search_project(db, query, None, forms=forms, scope=scope))
            if path.suffix.lower() == ".xlsx":
                return write_xlsx(path, "Search hits", EXPORT_HEADERS, rows, "the search hits",
                                  widths=(24, 12, 14, 6, 8, 8, 20, 50, 50))
            return write_csv(path, EXPORT_HEADERS, rows, "the search hits")

        job = Job(work, self)
        self._jobs.add(job)
        job.finished.connect(lambda count, job=job: self._exported(job, path, count))
        job.failed.connect(lambda message, job=job: self._export_failed(job, message))
        self.status.setText(f"Exporting the hits to {path.name}…")
        job.start(QThreadPool.globalInstance())
        return job

    def _exported(self, job: Job, path: Path, count: int) -> None:
        self._forget(job)
        text = f"Exported {plural(count, 'hit')} to {path.name}"
        self.status.setText(text)
        self.status.setToolTip(str(path))
        self.export_finished.emit(text)

    def _export_failed(self, job: Job, message: str) -> None:
        self._forget(job)
        self.status.setText(f"The export failed: {message}")
        self.export_finished.emit(message)
