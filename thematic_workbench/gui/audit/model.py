"""The audit trail as a table, newest event first, read a page at a time.

The trail can hold 100,000+ events and a filter over before/after text may take a tenth of
a second, so the first page of a filter and every further page are read on a worker thread;
the view asks for more with ``canFetchMore``/``fetchMore`` as the user scrolls. Events saved
later are read on the GUI thread shortly after (a small query on the primary key) and put
at the top, keeping the filter and the selection.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from weakref import WeakMethod

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.phases import phase_info
from thematic_workbench.core.trail.audit_queries import (
    AuditChoices,
    AuditFilter,
    AuditRow,
    audit_choices,
    audit_rows,
    count_audit_rows,
    last_seq,
)
from thematic_workbench.gui.common.table import RowsTableModel
from thematic_workbench.gui.common.workers import Job, JobControl
from thematic_workbench.gui.session import ProjectSession

AnyIndex = QModelIndex | QPersistentModelIndex
SEQ_ROLE = Qt.ItemDataRole.UserRole + 1
_ROOT = QModelIndex()
NEWER_LIMIT = 5000  # more new events than this at once (a bulk import): read afresh


def local_time(stored: str, seconds: bool = True) -> str:
    """A stored UTC time as the user's clock shows it."""
    try:
        moment = datetime.fromisoformat(stored)
    except ValueError:  # an edited row; show it as it is
        return stored
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def run_job(owner: QObject, jobs: set[Job], work: Callable[[JobControl], Any],
            pool: QThreadPool, done: Callable[..., None], failed: Callable[..., None],
            *args: Any) -> None:
    """Run ``work`` on ``pool``, then call ``done(*args, result)`` or ``failed(*args, text)``.

    The job is ``owner``'s child, and its connections hold ``owner``'s methods weakly: a
    lambda holding ``owner`` would keep a parentless owner alive until the job is deleted,
    and the owner would then be deleted from inside its own child's destructor (a crash).
    """
    job = Job(work, owner)
    jobs.add(job)
    done_ref, failed_ref = WeakMethod(done), WeakMethod(failed)

    def end(callback: WeakMethod[Callable[..., None]], value: object) -> None:
        jobs.discard(job)
        job.deleteLater()
        method = callback()
        if method is not None:
            method(*args, value)

    job.finished.connect(lambda result: end(done_ref, result))
    job.failed.connect(lambda message: end(failed_ref, message))
    job.start(pool)


@dataclass(frozen=True)
class _FirstPage:
    rows: list[AuditRow]
    total: int
    newest: int
    choices: AuditChoices | None


class AuditModel(RowsTableModel):
    """Events matching :attr:`audit_filter`, newest first.

    ``loaded`` is emitted when a filter's first page is in; ``choices_changed`` when coders,
    actions or entity kinds appear that the filter lists do not offer yet.
    """

    HEADERS = ("#", "Time", "Coder", "Phase", "What happened", "Action")
    SEQ, TIME, CODER, PHASE, SUMMARY, ACTION = range(6)
    REFRESH_DELAY_MS = 150

    loaded = Signal()
    choices_changed = Signal(object)
    failed = Signal(str)

    def __init__(self, session: ProjectSession, parent: Any = None, page_size: int = 200,
                 pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.page_size = page_size
        self.audit_filter = AuditFilter()
        self.total = 0  # events matching the filter, loaded or not
        self.choices = AuditChoices((), (), ())
        self._rows: list[AuditRow] = []
        self._times: list[str] = []
        self._newest = 0  # the newest event in the trail when last read
        self._generation = 0
        self._first_loaded = False
        self._exhausted = True
        self._paging = False
        self._first_pending = False
        self._jobs: set[Job] = set()
        self._pool = pool or QThreadPool.globalInstance()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.read_newer)
        session.changed.connect(self._on_changed)

    # -- loading ---------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """True while a page is being read, or new events wait to be read."""
        return bool(self._jobs) or self._timer.isActive()

    def set_filter(self, audit_filter: AuditFilter) -> None:
        """Show the events matching ``audit_filter``; rows stay until the new ones are in."""
        self.audit_filter = audit_filter
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        generation, audit_filter, size = self._generation, self.audit_filter, self.page_size
        want_choices, store = not self._first_loaded, self.session.store
        self._first_pending = True

        def work(_control: JobControl) -> _FirstPage:
            with store.read() as db:
                newest = last_seq(db)  # in the same read: the rows go exactly up to it
                rows = audit_rows(db, audit_filter, limit=size, before_seq=newest + 1)
                total = count_audit_rows(db, audit_filter)
                choices = audit_choices(db) if want_choices else None
            return _FirstPage(rows, total, newest, choices)

        run_job(self, self._jobs, work, self._pool, self._first_page, self._failed, generation)

    def _failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self._paging = self._first_pending = False
            self.failed.emit(message)

    def _first_page(self, generation: int, page: _FirstPage) -> None:
        if generation != self._generation:
            return  # a newer filter was asked for meanwhile
        self.beginResetModel()
        self._rows = page.rows
        self._times = [local_time(row.at, seconds=False) for row in page.rows]
        self.total = page.total
        self._newest = page.newest
        self._exhausted = len(page.rows) < self.page_size
        self._paging = self._first_pending = False
        self._first_loaded = True
        self.endResetModel()
        if page.choices is not None:
            self._set_choices(page.choices)
        self.loaded.emit()
        self.read_newer()  # anything saved while the page was being read

    def canFetchMore(self, parent: AnyIndex = _ROOT) -> bool:
        return not parent.isValid() and self._first_loaded and not self._exhausted \
            and not self._paging

    def fetchMore(self, parent: AnyIndex = _ROOT) -> None:
        if not self.canFetchMore(parent):
            return
        self._paging = True
        generation, audit_filter, size = self._generation, self.audit_filter, self.page_size
        oldest = self._rows[-1].seq if self._rows else self._newest + 1
        store = self.session.store

        def work(_control: JobControl) -> list[AuditRow]:
            with store.read() as db:
                return audit_rows(db, audit_filter, limit=size, before_seq=oldest)

        run_job(self, self._jobs, work, self._pool, self._next_page, self._failed, generation)

    def _next_page(self, generation: int, rows: list[AuditRow]) -> None:
        if generation != self._generation:
            return
        self._paging = False
        self._exhausted = len(rows) < self.page_size
        if rows:
            first = len(self._rows)
            self.beginInsertRows(_ROOT, first, first + len(rows) - 1)
            self._rows.extend(rows)
            self._times.extend(local_time(row.at, seconds=False) for row in rows)
            self.endInsertRows()

    # -- new events ------------------------------------------------------------------------
    def _on_changed(self, change: Change) -> None:
        if change.changed.get(Kind.AUDIT_EVENT):  # payloads erased: the rows shown are stale
            self.reload()
            return
        self._timer.start()  # one read for a burst of edits, off the edit's own path

    def read_newer(self) -> None:
        """Put events saved since the last read at the top, if they match the filter."""
        self._timer.stop()
        if self.session.store.closed:
            return  # a page that arrived after its project was closed
        if not self._first_loaded or self._first_pending:
            return  # the first page is still being read; it reads newer events when done
        with self.session.read() as db:
            newest = last_seq(db)
            if newest <= self._newest:
                return
            if newest - self._newest > NEWER_LIMIT:
                self.reload()
                return
            rows = audit_rows(db, self.audit_filter, limit=NEWER_LIMIT, after_seq=self._newest)
            choices = audit_choices(db, after_seq=self._newest)
        self._newest = newest
        if rows:
            self.beginInsertRows(_ROOT, 0, len(rows) - 1)
            self._rows[0:0] = rows
            self._times[0:0] = [local_time(row.at, seconds=False) for row in rows]
            self.total += len(rows)
            self.endInsertRows()
        self._set_choices(self.choices.merged(choices))

    def _set_choices(self, choices: AuditChoices) -> None:
        if choices != self.choices:
            self.choices = choices
            self.choices_changed.emit(choices)

    # -- reading rows ----------------------------------------------------------------------
    def row_values(self, row: int) -> AuditRow:
        return self._rows[row]

    def row_of_seq(self, seq: int) -> int:
        """The row showing event ``seq``, or -1 when it is not loaded (or filtered out)."""
        for row, values in enumerate(self._rows):
            if values.seq == seq:
                return row
        return -1

    @property
    def exhausted(self) -> bool:
        return self._exhausted

    # -- the table -------------------------------------------------------------------------
    def header_role(self, section: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and section == self.SEQ:
            return "The event's number in the audit trail"
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row, column = self.row_at(index), index.column()
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (str(row.seq), self._times[index.row()], row.coder, str(row.phase),
                    row.summary, row.action)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == SEQ_ROLE:
            return row.seq
        if role == Qt.ItemDataRole.ForegroundRole and column in (self.SEQ, self.TIME):
            return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if column == self.SEQ else \
                Qt.AlignmentFlag.AlignHCenter if column == self.PHASE else \
                Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _tooltip(row: AuditRow, column: int) -> str:
        if column == AuditModel.TIME:
            return f"{row.at} (UTC)"
        if column == AuditModel.PHASE:
            try:
                return f"Phase {row.phase}: {phase_info(row.phase).name}"
            except ValueError:
                return f"Phase {row.phase}"
        return f"{row.summary}\n{row.action} on {row.entity}"

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
