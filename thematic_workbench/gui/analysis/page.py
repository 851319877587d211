"""One tab of the analysis view: a chart beside its table, with export buttons.

The numbers are read on a worker thread (on the large project a tab's counts take 0.2 to
0.4 s, too long to freeze the window for) when the tab is first shown, and again when it is
shown after the project changed: a tab nobody looks at never recounts (ChangeFollower).
A newer read outdates an older one still running.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.storage.store import ReadSession
from thematic_workbench.core.wording import plural
from thematic_workbench.gui.analysis.charts import ChartCanvas
from thematic_workbench.gui.analysis.models import SORT_ROLE, StatsTableModel, Table
from thematic_workbench.gui.common.change_follower import REVIEW_KINDS, ChangeFollower
from thematic_workbench.gui.common.choices import QUIET
from thematic_workbench.gui.common.columns import row_table
from thematic_workbench.gui.common.workers import Job, JobControl
from thematic_workbench.gui.session import ProjectSession
from thematic_workbench.io.tabular import write_csv

CSV_FILTER = "CSV, UTF-8 (*.csv)"


class AnalysisPage(QWidget):
    """Subclasses say what to read (:meth:`reader`) and how to show it (:meth:`present`)."""

    loaded = Signal()  # the page shows fresh numbers
    notice = Signal(str)  # a line for the status bar
    NAME = "analysis"  # object names and suggested file names
    TITLE = "Analysis"
    ORIENTATION = Qt.Orientation.Horizontal  # chart beside the table, or above it
    SPLIT = (58, 42)  # the chart's and the table's shares of the room
    WIDEST_TEXT_COLUMN = 200
    KINDS = REVIEW_KINDS  # the changes that make the numbers stale

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{self.NAME}Page")
        self.session = session
        self.data: Any = None
        self._generation = 0
        self._jobs: set[Job] = set()
        self.controls = QHBoxLayout()  # subclasses add their choices here
        self.summary = QLabel("Counting\N{HORIZONTAL ELLIPSIS}", self)
        self.summary.setStyleSheet(QUIET)
        self.summary.setWordWrap(True)
        self.chart = ChartCanvas(self, self.NAME)
        self.model = StatsTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = row_table(self, self.proxy, f"{self.NAME}Table")
        self.table.setWordWrap(False)  # long names end in an ellipsis, whole in the tooltip
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)  # the model's own order first
        self._build_layout()
        self.follower = ChangeFollower(self, session, self.reload, self.KINDS)
        self.follower.stale = True  # read when first shown

    def _build_layout(self) -> None:
        self.export_chart_button = QPushButton("Export chart\N{HORIZONTAL ELLIPSIS}", self)
        self.export_chart_button.setToolTip("Save the chart as a PNG image or an SVG drawing")
        self.export_chart_button.clicked.connect(self.export_chart)
        self.export_table_button = QPushButton("Export table\N{HORIZONTAL ELLIPSIS}", self)
        self.export_table_button.setToolTip("Save the table as a CSV file")
        self.export_table_button.clicked.connect(self.export_table)
        bar = QHBoxLayout()
        bar.addLayout(self.controls)
        bar.addStretch(1)
        bar.addWidget(self.export_chart_button)
        bar.addWidget(self.export_table_button)
        splitter = QSplitter(self.ORIENTATION, self)
        splitter.setObjectName(f"{self.NAME}Splitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.chart)
        splitter.addWidget(self.table)
        splitter.setStretchFactor(0, self.SPLIT[0])
        splitter.setStretchFactor(1, self.SPLIT[1])
        splitter.setSizes([10 * share for share in self.SPLIT])  # proportions, at any size
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)

    # -- for subclasses --------------------------------------------------------------------
    def reader(self) -> Callable[[ReadSession], Any]:  # pragma: no cover - abstract
        """A function of a read session that returns this page's data; it runs on a worker
        thread, so it captures the choices it needs now and touches no widget."""
        raise NotImplementedError

    def present(self, data: Any) -> None:  # pragma: no cover - abstract
        """Fill the chart, the table and the summary from the data."""
        raise NotImplementedError

    def show_table(self, table: Table) -> None:
        self.model.set_table(table)
        self.export_table_button.setEnabled(bool(table.rows))
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount()):
            if table.kinds[column] == "text":
                header.resizeSection(column, min(header.sectionSize(column),
                                                 self.WIDEST_TEXT_COLUMN))

    # -- reading ---------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the page's numbers on a worker thread; ``loaded`` when they are shown."""
        read, store = self.reader(), self.session.store
        self._generation += 1
        generation = self._generation

        def work(_control: JobControl) -> Any:
            with store.read() as session:
                return read(session)

        job = Job(work, self)
        self._jobs.add(job)
        job.finished.connect(lambda result, job=job: self._done(job, generation, result))
        job.failed.connect(lambda message, job=job: self._failed(job, generation, message))
        job.start(QThreadPool.globalInstance())  # a read: it need not queue behind imports

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def wait(self, timeout_s: float = 10.0) -> bool:
        """Block until running reads have returned (closing the project, tests)."""
        return all(job.wait(timeout_s) for job in list(self._jobs))

    def _forget(self, job: Job) -> None:
        self._jobs.discard(job)
        job.deleteLater()

    def _done(self, job: Job, generation: int, result: Any) -> None:
        self._forget(job)
        if generation == self._generation:
            self.data = result
            self.present(result)
            self.loaded.emit()

    def _failed(self, job: Job, generation: int, message: str) -> None:
        self._forget(job)
        if generation == self._generation:
            self.summary.setText(f"The numbers could not be read: {message}")

    # -- exporting -------------------------------------------------------------------------
    def export_chart(self) -> Path | None:
        try:
            path = self.chart.export_chart()
        except WorkbenchError as error:
            QMessageBox.warning(self, "Export chart", str(error))
            return None
        if path is not None:
            self.notice.emit(f"Wrote the chart to {path}.")
        return path

    def ask_table_path(self) -> Path | None:
        """Where to write the table as CSV."""
        start = str(Path(self.chart.folder) / f"{self.NAME}.csv")
        name, _chosen = QFileDialog.getSaveFileName(self, "Export table", start, CSV_FILTER)
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == ".csv" else path.with_name(path.name + ".csv")

    def shown_rows(self) -> list[tuple[Any, ...]]:
        """The table's plain rows in the order shown (sorted by a column, if the user did)."""
        rows = self.model.table.rows
        return [rows[self.proxy.mapToSource(self.proxy.index(row, 0)).row()]
                for row in range(self.proxy.rowCount())]

    def export_table(self) -> Path | None:
        path = self.ask_table_path()
        if path is None:
            return None
        try:
            count = write_csv(path, self.model.table.headers, self.shown_rows(), "the table")
        except WorkbenchError as error:
            QMessageBox.warning(self, "Export table", str(error))
            return None
        self.chart.folder = str(path.parent)
        self.notice.emit(f"Wrote {plural(count, 'row')} to {path}.")
        return path
