"""Agreement between two coders: a per-code summary, the code × document table with kappa
shaded by band, and the passages where the two differ.

Comparing a whole project reads every coding of both coders, so it runs on a :class:`Job`;
a newer comparison outdates an older one. Double-clicking a passage emits
``passage_activated(document_id, start, end)`` so the window can open the transcript there.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.analysis.agreement import (
    Comparison,
    Passage,
    coders_with_codings,
    compare_coders,
    disagreements,
    table_rows,
)
from thematic_workbench.core.changes import Kind
from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.finding.scope import Scope
from thematic_workbench.core.services.documents import participant_choices
from thematic_workbench.core.wording import plural
from thematic_workbench.gui.agreement import parts
from thematic_workbench.gui.agreement.models import (
    CODE_ID_ROLE,
    DOCUMENT_ID_ROLE,
    SPAN_ROLE,
    PassagesModel,
    RowsModel,
    SummaryModel,
)
from thematic_workbench.gui.common.change_follower import REVIEW_KINDS, ChangeFollower
from thematic_workbench.gui.common.choices import QUIET
from thematic_workbench.gui.common.workers import Job, JobControl
from thematic_workbench.gui.session import ProjectSession
from thematic_workbench.io.tabular import write_csv

KINDS = REVIEW_KINDS | {Kind.CODER}
EVERYONE = "everyone"


class _Cancelled(Exception):
    """Raised inside a comparison that a newer one has outdated."""


class AgreementView(QWidget):
    """Two coder choosers, a note on method, the figures, and where the coders differ."""

    passage_activated = Signal(int, int, int)
    compared = Signal(object)  # the Comparison now shown, or None

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.comparison: Comparison | None = None
        self._jobs: set[Job] = set()
        self._generation = 0
        self.summary_model = SummaryModel(self)
        self.rows_model = RowsModel(self)
        self.passages_model = PassagesModel(self)
        self._build()
        self.follower = ChangeFollower(self, session, self.refresh, KINDS)
        self.refresh()

    # -- building ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.coder_a, self.coder_b = QComboBox(self), QComboBox(self)
        for box, name in ((self.coder_a, "coderA"), (self.coder_b, "coderB")):
            box.setObjectName(name)
            box.setMinimumContentsLength(12)
            box.currentIndexChanged.connect(lambda _index: self.compare())
        self.said_by = QComboBox(self)
        self.said_by.setObjectName("agreementSaidBy")
        self.said_by.setToolTip("Compare only what one participant said: in a focus group, "
                                "the turns of the speakers mapped to them")
        self.said_by.currentIndexChanged.connect(lambda _index: self.compare())
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.status = QLabel(self)
        self.status.setWordWrap(True)  # a long status must not widen the whole window
        self.status.setMinimumWidth(120)
        self.status.setStyleSheet(QUIET)
        self.export_button = QPushButton("Export table…", self)
        self.export_button.setToolTip("Save the figures per code and document, and per code, "
                                      "as a CSV file")
        self.export_button.clicked.connect(self.export_table)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Compare", self))
        bar.addWidget(self.coder_a)
        bar.addWidget(QLabel("with", self))
        bar.addWidget(self.coder_b)
        bar.addWidget(QLabel("on what", self))
        bar.addWidget(self.said_by)
        bar.addWidget(QLabel("said", self))
        bar.addStretch(1)
        bar.addWidget(self.export_button)
        state = QHBoxLayout()  # under the choices: a long status must not push them out
        state.addWidget(self.progress)
        state.addWidget(self.status, 1)

        self.summary_view = parts.table(self, self.summary_model, "agreementSummary",
                                        {1: 84, 2: 84, 3: 104, 4: 150, 5: 104}, 0)
        self.rows_view = parts.table(self, self.rows_model, "agreementRows",
                                     {0: 170, 1: 190, 2: 84, 3: 70, 4: 92, 5: 92, 6: 76,
                                      7: 84, 8: 64, 9: 64}, 1)
        self.passages_view = parts.table(self, self.passages_model, "agreementPassages",
                                         {0: 130, 1: 80, 2: 100}, 3)
        self.passages_caption = parts.caption(self, "Where they differ")
        self.summary_view.clicked.connect(self._code_picked)
        self.rows_view.selectionModel().currentRowChanged.connect(self._row_changed)
        self.passages_view.activated.connect(self._passage_activated)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(True)  # panes may fold away on a small screen
        splitter.addWidget(parts.section(splitter, parts.caption(
            self, "Per code, over the documents where either coder applied it"),
            self.summary_view))
        splitter.addWidget(parts.section(splitter, parts.caption(
            self, "Per code and document"), self.rows_view))
        splitter.addWidget(parts.section(splitter, self.passages_caption, self.passages_view))
        splitter.setSizes([160, 240, 160])
        for number in range(splitter.count()):  # small screens: the panes may get short
            pane = splitter.widget(number)
            if pane is not None:
                pane.setMinimumHeight(60)
        self.footer = QLabel(self)
        self.footer.setStyleSheet(QUIET)
        self.footer.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(parts.note(self))
        layout.addLayout(bar)
        layout.addLayout(state)
        layout.addWidget(parts.legend(self))
        layout.addWidget(splitter, 1)
        layout.addWidget(self.footer)

    # -- public API --------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def coders(self) -> tuple[str | None, str | None]:
        return (self.coder_a.currentText() or None, self.coder_b.currentText() or None)

    def set_coders(self, coder_a: str, coder_b: str) -> None:
        """Choose the two coders (names from the choosers) and compare them."""
        for box, name in ((self.coder_a, coder_a), (self.coder_b, coder_b)):
            if box.findText(name) < 0:
                raise ValueError(f"{name!r} has coded nothing in this project")
            box.blockSignals(True)
            box.setCurrentText(name)
            box.blockSignals(False)
        self.compare()

    def refresh(self) -> None:
        """Read who has coded anything, keep the choice where it still stands, compare."""
        with self.session.read() as read:
            names = coders_with_codings(read)
            people = [label for _id, label in participant_choices(read)]
        who = self.said_by.currentData()
        self.said_by.blockSignals(True)
        self.said_by.clear()
        self.said_by.addItem(EVERYONE, None)
        for label in people:
            self.said_by.addItem(label, label)
        self.said_by.setCurrentIndex(max(0, self.said_by.findData(who)) if who else 0)
        self.said_by.blockSignals(False)
        before_a, before_b = self.coders()
        first = before_a if before_a in names else \
            (self.session.coder if self.session.coder in names else
             (names[0] if names else None))
        others = [name for name in names if name != first]
        second = before_b if before_b in others else (others[0] if others else None)
        for box, chosen in ((self.coder_a, first), (self.coder_b, second)):
            box.blockSignals(True)
            box.clear()
            box.addItems(names)
            box.setCurrentIndex(names.index(chosen) if chosen in names else -1)
            box.blockSignals(False)
        self.compare()

    def compare(self) -> None:
        """Compare the two chosen coders on a worker thread; outdates any comparison running."""
        self._generation += 1
        for job in self._jobs:
            job.cancel()
        coder_a, coder_b = self.coders()
        if coder_a is None or coder_b is None or coder_a == coder_b:
            self._show(None, "Agreement needs two coders who have coded the same documents; "
                             "choose two different coders." if coder_b else
                       "Agreement needs two coders who have coded the same documents: only "
                       f"{coder_a or 'nobody'} has coded anything so far.")
            return
        generation, store = self._generation, self.session.store
        who = self.said_by.currentData()
        scope = Scope(participants=frozenset({who})) if who else None

        def work(control: JobControl) -> Comparison | None:
            def tick(done: int, total: int) -> None:
                if control.cancelled:
                    raise _Cancelled
                control.progress(done, total, "")

            try:
                with store.read() as read:
                    return compare_coders(read, coder_a, coder_b, scope=scope,
                                          progress=tick)
            except _Cancelled:
                return None

        job = Job(work, self)
        self._jobs.add(job)
        job.progress.connect(lambda done, total, _label: self._progressed(done, total))
        job.finished.connect(lambda result, job=job: self._finished(job, generation, result))
        job.failed.connect(lambda message, job=job: self._failed(job, generation, message))
        self.status.setText(f"Comparing {coder_a} and {coder_b}…")
        self.progress.setRange(0, 0)
        self.progress.show()
        self.export_button.setEnabled(False)
        job.start(QThreadPool.globalInstance())  # a read: it need not queue behind imports

    def select_row(self, code_id: int, document_id: int) -> bool:
        """Select the row of a code in a document (showing its passages); False if none."""
        for row, item in enumerate(self.rows_model.rows()):
            if (item.code_id, item.document_id) == (code_id, document_id):
                index = self.rows_model.index(row, 0)
                self.rows_view.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
                self.rows_view.scrollTo(index)
                return True
        return False

    def passages(self) -> list[Passage]:
        return self.passages_model.rows()

    def ask_path(self) -> Path | None:
        """Where to save the CSV; tests replace this method."""
        suggested = Path(self.session.path).with_name(
            f"{Path(self.session.path).stem}-agreement.csv")
        name, _filter = QFileDialog.getSaveFileName(self, "Export the agreement table",
                                                    str(suggested), "CSV files (*.csv)")
        if not name:
            return None
        path = Path(name)
        return path if path.suffix else path.with_suffix(".csv")

    def export_table(self) -> Path | None:
        """Write the figures shown (per code and document, then per code) to a CSV file."""
        if self.comparison is None:
            return None
        path = self.ask_path()
        if path is None:
            return None
        headers, rows = table_rows(self.comparison)
        try:
            count = write_csv(path, headers, rows, "the agreement table")
        except WorkbenchError as error:
            self.status.setText(str(error))
            return None
        self.status.setText(f"Exported {plural(count, 'row')} to {path.name}.")
        self.status.setToolTip(str(path))
        return path

    # -- reacting ----------------------------------------------------------------------------
    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _forget(self, job: Job, generation: int) -> bool:
        """Drop a job that has ended; True if its result is the one to show."""
        self._jobs.discard(job)
        job.deleteLater()
        current = generation == self._generation
        if current:
            self.progress.hide()
        return current

    def _finished(self, job: Job, generation: int, result: Comparison | None) -> None:
        if self._forget(job, generation) and result is not None:
            self._show(result, self._describe(result))

    def _failed(self, job: Job, generation: int, message: str) -> None:
        if self._forget(job, generation):
            self._show(None, f"Could not compare the coders: {message}")

    @staticmethod
    def _describe(result: Comparison) -> str:
        if not result.documents:
            return f"{result.coder_a} and {result.coder_b} have not both coded any document."
        return (f"{plural(len(result.documents), 'document')} coded by both · "
                f"{plural(len(result.summaries), 'code')} applied by either")

    def _show(self, result: Comparison | None, status: str) -> None:
        chosen = self._chosen()
        self.comparison = result
        self.status.setText(status)
        self.status.setToolTip("")
        self.export_button.setEnabled(bool(result and result.rows))
        if result is not None:
            self.rows_model.set_coders(result.coder_a, result.coder_b)
        self.summary_model.set_rows(result.summaries if result else ())
        self.rows_model.set_rows(result.rows if result else ())
        self.passages_model.set_rows(())
        self.footer.setText(self._footer(result))
        rows = self.rows_model.rows()
        if rows and not (chosen and self.select_row(*chosen)):
            self.select_row(rows[0].code_id, rows[0].document_id)
        self.compared.emit(result)

    @staticmethod
    def _footer(result: Comparison | None) -> str:
        if result is None:
            return ""
        notes = []
        if result.one_coder:
            listed = "; ".join(f"{doc.name} (only {doc.coder})" for doc in result.one_coder)
            notes.append(f"Not compared, coded by one of the two only: {listed}.")
        if result.absent_pairs:
            notes.append(f"{plural(result.absent_pairs, 'code–document pair')} left out: "
                         "neither coder applied the code there (agreement 100%, kappa 1).")
        if any(row.degenerate for row in result.rows):
            notes.append("* Both coders coded the whole document: kappa and alpha are 0/0 "
                         "there and shown as 1, as NVivo reports them.")
        return " ".join(notes)

    def _chosen(self) -> tuple[int, int] | None:
        index = self.rows_view.currentIndex()
        if not index.isValid():
            return None
        return index.data(CODE_ID_ROLE), index.data(DOCUMENT_ID_ROLE)

    def _code_picked(self, index: QModelIndex) -> None:
        code_id = index.data(CODE_ID_ROLE)
        first = next((row for row in self.rows_model.rows() if row.code_id == code_id), None)
        if first is not None:
            self.select_row(code_id, first.document_id)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.rows_model.row_at(current)
        result = self.comparison
        if row is None or result is None:
            self.passages_model.set_rows(())
            self.passages_caption.setText("Where they differ")
            return
        with self.session.read() as read:
            found = disagreements(read, result.coder_a, result.coder_b, row.code_id,
                                  row.document_id)
        self.passages_model.set_rows(found)
        where = f"“{row.code}” in {row.document}"
        self.passages_caption.setText(
            f"Where {result.coder_a} and {result.coder_b} differ on {where}: "
            f"{plural(len(found), 'passage')}, double-click one to open it" if found else
            f"{result.coder_a} and {result.coder_b} coded {where} alike")

    def _passage_activated(self, index: QModelIndex) -> None:
        span = index.data(SPAN_ROLE)
        if span is not None:
            self.passage_activated.emit(*span)
