"""The audit trail viewer: who changed what, when and in which phase, and is it intact.

A filter bar (time, coder, phase, action, entity, text), the events newest first, and the
selected event's before/after with the changed fields marked. "Verify trail" checks, on a
worker thread, what ``audit --verify`` checks: the hash chain, the signed sign-offs and
snapshots, and this computer's record of closes; "Check against an exported trail…" also
checks that the project still extends a trail exported earlier (.csv or .docx). "Export CSV…"
writes the events the filter shows.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QMargins,
    QModelIndex,
    QObject,
    Qt,
    QThreadPool,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QColor, QPalette, QResizeEvent, QTextDocument
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.reports.appendices import audit_export
from thematic_workbench.core.trail.audit_queries import (
    AuditFilter,
    AuditRow,
    describe_event,
    field_changes,
    shown_value,
)
from thematic_workbench.core.trail.trail_verify import TrailFileError, TrailReport, verify_trail
from thematic_workbench.core.wording import plural
from thematic_workbench.gui.audit.filter_bar import AuditFilterBar
from thematic_workbench.gui.audit.model import AuditModel, local_time, run_job
from thematic_workbench.gui.common.columns import fit_to_texts, fix_widths, row_table
from thematic_workbench.gui.common.workers import Job, JobControl
from thematic_workbench.gui.session import ProjectSession
from thematic_workbench.io.audit_csv import export_audit_csv
from thematic_workbench.io.exported_trail import read_exported_trail_file

PROMPT = "Select an event to see what it changed."
GOOD, BAD = "#1B7A3E", "#B42318"
AMBER = QColor("#F5C451")


def _rgb(colour: QColor) -> tuple[float, float, float]:
    return colour.redF(), colour.greenF(), colour.blueF()


def verdict_html(lines: list[str], colour: str) -> str:
    """The verdict (first line) bold in ``colour``, what was checked and found below it."""
    head, *rest = lines
    body = "".join(f"<br>{escape(line)}" for line in rest)
    return (f"<p style='margin:0'><span style='color:{colour}; font-weight:600'>"
            f"{escape(head)}</span>{body}</p>")


class VerdictLabel(QLabel):
    """The verdict, wrapped. Its height is set by the panel (:meth:`AuditPanel._fit_body`)
    rather than asked for width by width: a scroll area gives a widget whose layout has a
    height for its width its full preferred height, and would then scroll the verdict out of
    a low dock instead of squeezing the events table."""

    def hasHeightForWidth(self) -> bool:
        return False


class AuditPanel(QWidget):
    """Filter bar, events table, details of the selected event, verify and export."""

    verified = Signal(object)  # the TrailReport
    exported = Signal(str, int)  # the file written, how many events
    export_failed = Signal(str)

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = AuditModel(session, self)
        self._jobs: set[Job] = set()
        self._watched: QWidget | None = None  # the scroll area's viewport, once in one
        self.filters = AuditFilterBar(self)
        self.filters.changed.connect(self._filter_changed)
        self.view = self._make_view()
        self.details = QTextBrowser(self)
        self.details.setObjectName("auditDetails")
        self.details.setOpenLinks(False)
        self.details.anchorClicked.connect(self._on_link)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.view)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        self.count_label = QLabel("Reading the audit trail…", self)
        self.verify_label = VerdictLabel(self)  # the last verification or export, full width
        self.verify_label.setWordWrap(True)
        self.verify_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.verify_label.setContentsMargins(2, 2, 2, 0)
        self.verify_label.hide()
        self.verify_button = QPushButton("Verify &trail", self)
        self.verify_button.setToolTip(
            "Recompute the hash chain of every event and check the signed sign-offs and "
            "snapshots and this computer's record of closes, to show that no event was "
            "changed, removed or inserted (Alt+T)")
        self.against_button = QPushButton("Check a&gainst an exported trail…", self)
        self.against_button.setToolTip(
            "Verify the trail as above and check that the project still extends an audit "
            "trail exported earlier (a .csv file or a .docx appendix) (Alt+G)")
        self.export_button = QPushButton("Export CSV…", self)
        self.export_button.setToolTip("Save the events the filter shows, oldest first, as a "
                                      "CSV file (opens in Excel)")
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.verify_button)
        bottom.addWidget(self.against_button)
        bottom.addWidget(self.export_button)
        # Everything under the filter bar, kept to the width that can be seen: see _fit_body.
        self._body = QWidget(self)
        body = QVBoxLayout(self._body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(splitter, 1)
        body.addWidget(self.verify_label)
        body.addLayout(bottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filters)
        layout.addWidget(self._body, 1)
        self._show_details(None)

        self.model.loaded.connect(self._after_load)
        self.model.rowsInserted.connect(self._update_count)
        self.model.choices_changed.connect(self.filters.set_choices)
        self.model.failed.connect(self._read_failed)
        # Bound methods, not lambdas holding self: see run_job.
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.verify_button.clicked.connect(self.verify)
        self.against_button.clicked.connect(self.check_against_export)
        self.export_button.clicked.connect(self.export_csv)
        self.model.reload()

    # -- building --------------------------------------------------------------------------
    def _make_view(self) -> QTableView:
        view = row_table(self, self.model, "auditTable")
        view.setWordWrap(False)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows = view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(view.fontMetrics().lineSpacing() + 8)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(AuditModel.SUMMARY, QHeaderView.ResizeMode.Stretch)
        fix_widths(view, (AuditModel.SEQ,), "000000")
        fix_widths(view, (AuditModel.TIME,), "2026-12-31 23:59")
        fix_widths(view, (AuditModel.PHASE,), "0")
        return view

    # -- the filter ------------------------------------------------------------------------
    def _filter_changed(self, wanted: AuditFilter) -> None:
        if wanted != self.model.audit_filter:
            self.count_label.setText("Reading the audit trail…")
            self.model.set_filter(wanted)

    def clear_filters(self) -> None:
        self.filters.clear()

    def show_entity_history(self, kind: str, entity_id: int) -> None:
        """Every event about one thing (code 12, say), whatever the other filters said."""
        self.filters.show_entity(kind, entity_id)

    # -- reacting --------------------------------------------------------------------------
    def _after_load(self) -> None:
        self._update_count()
        rows = [self.model.row_values(row) for row in range(self.model.rowCount())]
        fit_to_texts(self.view, AuditModel.CODER, (r.coder for r in rows), most=140)
        fit_to_texts(self.view, AuditModel.ACTION, (r.action for r in rows), most=170)
        if not self.view.currentIndex().isValid():
            self._show_details(None)

    def _read_failed(self, message: str) -> None:
        self.count_label.setText(f"The audit trail could not be read: {message}")

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_details(self.model.row_values(current.row()) if current.isValid() else None)

    def _update_count(self, *_inserted: object) -> None:
        total = self.model.total
        if self.model.audit_filter.empty:
            text = f"{plural(total, 'event')}, newest first"
        elif total:
            text = f"{plural(total, 'event')} match the filter, newest first"
        else:
            text = "No events match the filter."
        self.count_label.setText(text)

    def select_event(self, seq: int) -> bool:
        """Select event ``seq`` if it is among the rows read so far."""
        row = self.model.row_of_seq(seq)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(index)
        return True

    def details_text(self) -> str:
        """The details pane as plain text (what a screen reader would say)."""
        return self.details.toPlainText()

    def _show_details(self, row: AuditRow | None) -> None:
        palette = self.details.palette()
        muted = palette.color(QPalette.ColorRole.PlaceholderText).name()
        if row is None:
            self.details.setHtml(f"<p style='color:{muted}'>{PROMPT}</p>")
            return
        base = palette.color(QPalette.ColorRole.Base)
        mark = QColor.fromRgbF(*(0.72 * a + 0.28 * b for a, b in zip(
            _rgb(base), _rgb(AMBER), strict=True))).name()
        self.details.setHtml(details_html(row, muted, mark))

    def _on_link(self, url: QUrl) -> None:
        kind, _colon, entity_id = url.toString().partition(":")
        if entity_id.isdigit():
            self.show_entity_history(kind, int(entity_id))

    # -- verify and export ------------------------------------------------------------------
    def verify(self) -> None:
        """Check the trail on a worker thread, as ``audit --verify`` does, and say what was
        checked and found."""
        self._verify(None)

    def choose_trail_file(self) -> str | None:
        """Ask for an exported trail to check against; tests replace this method."""
        path, _filter = QFileDialog.getOpenFileName(
            self, "Check against an exported audit trail", str(Path(self.session.path).parent),
            "Exported audit trails (*.csv *.docx);;All files (*)")
        return path or None

    def check_against_export(self) -> None:
        """Verify the trail and that it still extends an exported one the user chooses."""
        chosen = self.choose_trail_file()
        if chosen:
            self._verify(Path(chosen))

    def _verify(self, against: Path | None) -> None:
        self._set_verdict("Verifying the audit trail…" if against is None else
                          f"Verifying the audit trail against {against.name}…", None)
        store = self.session.store
        project = Path(self.session.path)

        def work(_control: JobControl) -> TrailReport | TrailFileError:
            try:
                exported = read_exported_trail_file(against) if against else None
            except TrailFileError as error:
                return error  # the file, not the trail: said as one line naming it
            with store.read() as db:
                return verify_trail(db, project, exported)

        self._start((self.verify_button, self.against_button), work, self._verified,
                    self._verify_failed, against)

    def _verify_failed(self, _against: Path | None, message: str) -> None:
        self._enable(self.verify_button, self.against_button)
        self._set_verdict(f"Could not verify the audit trail: {message}", BAD)

    def _verified(self, against: Path | None, result: TrailReport | TrailFileError) -> None:
        self._enable(self.verify_button, self.against_button)
        if isinstance(result, TrailFileError):
            self._unreadable(against or Path(), str(result))
            return
        self._set_verdict(verdict_html(result.lines(), GOOD if result.intact else BAD), None,
                          rich=True)
        self.verify_label.setToolTip(str(against) if against else "")
        if result.first_bad_seq is not None:
            self.select_event(result.first_bad_seq)
        self.verified.emit(result)

    def _unreadable(self, path: Path, message: str) -> None:
        """One line naming the file (its folder is in the tooltip)."""
        prefix = f"{path}: "
        if message.startswith(prefix):
            message = message[len(prefix):]
        self._set_verdict(f"{path.name}: {message}", BAD)
        self.verify_label.setToolTip(str(path))

    def verdict_text(self) -> str:
        """The verdict as plain text, one statement a line (as a screen reader says it)."""
        if self.verify_label.textFormat() != Qt.TextFormat.RichText:
            return self.verify_label.text()
        document = QTextDocument()
        document.setHtml(self.verify_label.text())
        return document.toPlainText()

    def choose_export_path(self) -> str | None:
        """Ask where to save the CSV; tests replace this method."""
        folder = Path(self.session.path).parent
        suggested = folder / f"{Path(self.session.path).stem}-audit-trail.csv"
        path, _filter = QFileDialog.getSaveFileName(
            self, "Export the audit trail as CSV", str(suggested), "CSV files (*.csv)")
        return path or None

    def export_csv(self) -> None:
        """Write the events the filter shows to a CSV file the user chooses."""
        chosen = self.choose_export_path()
        if not chosen:
            return
        path = Path(chosen) if Path(chosen).suffix else Path(chosen).with_suffix(".csv")
        audit_filter, store = self.model.audit_filter, self.session.store
        self._set_verdict(f"Exporting to {path.name}…", None)

        def work(_control: JobControl) -> int:
            with store.read() as db:
                return export_audit_csv(audit_export(db, audit_filter), path)

        self._start((self.export_button,), work, self._exported, self._export_failed, path,
                    audit_filter.empty)

    def _exported(self, path: Path, everything: bool, count: int) -> None:
        self.export_button.setEnabled(True)
        which = "" if everything else " (those the filter shows)"
        self._set_verdict(f"Exported {plural(count, 'event')}{which} to {path.name}", GOOD)
        self.verify_label.setToolTip(str(path))
        self.exported.emit(str(path), count)

    def _export_failed(self, _path: Path, _everything: bool, message: str) -> None:
        self.export_button.setEnabled(True)
        self._set_verdict(f"Export failed: {message}", BAD)
        self.export_failed.emit(message)

    def _set_verdict(self, text: str, colour: str | None, rich: bool = False) -> None:
        """Show ``text`` (plain, bold in ``colour``; or ``rich`` text styled by itself)."""
        label = self.verify_label
        label.setStyleSheet(f"color:{colour}; font-weight:600" if colour else "")
        label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
        label.setText(text)
        label.setToolTip("")
        label.show()
        self._fit_body()
        self._make_room()

    # -- keeping the verdict in sight --------------------------------------------------------
    def _scroll_area(self) -> QScrollArea | None:
        """The scroll area the window keeps the panel in (so a low dock scrolls), if any."""
        viewport = self.parentWidget()
        area = viewport.parentWidget() if viewport is not None else None
        return area if isinstance(area, QScrollArea) and area.widget() is self else None

    def _fit_body(self) -> None:
        """Keep the table, the verdict and the buttons to the width that can be seen (a dock
        narrower than the filter bar scrolls sideways: only the filter bar should need to),
        and give the verdict the height its lines take at that width."""
        area, label = self._scroll_area(), self.verify_label
        layout = self.layout()
        margins = layout.contentsMargins() if layout is not None else QMargins()
        width = self.width() if area is None else min(self.width(), area.viewport().width())
        width = max(width - margins.left() - margins.right(), 160)
        if area is not None and area.viewport() is not self._watched:
            area.viewport().installEventFilter(self)
            self._watched = area.viewport()
        self._body.setMaximumWidth(width)
        label.setMinimumHeight(label.heightForWidth(width) if not label.isHidden() else 0)

    def _make_room(self) -> None:
        """In the window's low bottom strip the panel scrolls: make the strip tall enough to
        show the whole panel with its verdict (up to half the window), then bring the verdict
        into view."""
        area = self._scroll_area()
        dock = area.parentWidget() if area is not None else None
        if area is None or not isinstance(dock, QDockWidget) or dock.isFloating():
            return
        window = dock.parentWidget()
        missing = self.minimumSizeHint().height() - area.viewport().height()
        if isinstance(window, QMainWindow) and missing > 0:
            wanted = min(dock.height() + missing, window.height() // 2)
            window.resizeDocks([dock], [wanted], Qt.Orientation.Vertical)
            short = wanted - dock.height()  # docks in tabs give the tab bar part of it
            if short > 0:
                window.resizeDocks([dock], [wanted + short], Qt.Orientation.Vertical)
        QTimer.singleShot(0, self, self._scroll_to_verdict)  # once the layout has settled

    def _scroll_to_verdict(self) -> None:
        area = self._scroll_area()
        if area is not None and self.verify_label.isVisible():
            area.ensureWidgetVisible(self.verify_label, 0, 0)
            self.view.scrollTo(self.view.currentIndex())  # the table may have been resized

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_body()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._watched and event.type() == QEvent.Type.Resize:
            self._fit_body()
        return super().eventFilter(watched, event)

    def _start(self, buttons: tuple[QPushButton, ...], work: Callable[[JobControl], Any],
               done: Callable[..., None], failed: Callable[..., None], *args: Any) -> None:
        """Run ``work`` on a worker thread with ``buttons`` disabled until it ends."""
        for button in buttons:
            button.setEnabled(False)
        # A read: it need not queue behind writes on the database thread.
        run_job(self, self._jobs, work, QThreadPool.globalInstance(), done, failed, *args)

    @staticmethod
    def _enable(*buttons: QPushButton) -> None:
        for button in buttons:
            button.setEnabled(True)

    @property
    def busy(self) -> bool:
        return bool(self._jobs) or self.filters.pending or self.model.busy


def details_html(row: AuditRow, muted: str, mark: str) -> str:
    """The event's header, then each field: changed ones first and marked, old → new."""
    title = describe_event(row.action, row.entity_kind, row.entity_id, row.before, row.after)[0]
    head = (f"<p style='margin:0 0 2px 0; font-size:large'><b>{escape(title)}</b></p>"
            f"<p style='color:{muted}; margin:0 0 8px 0'>Event {row.seq} · "
            f"{escape(local_time(row.at))} · {escape(row.coder)} · phase {row.phase} · "
            f"{escape(row.action)} · {escape(row.entity)}</p>")
    changes = field_changes(row.before, row.after)
    if row.before is None or row.after is None:
        title = "Recorded values" if row.before is None and row.after is None else \
            "Values when added" if row.before is None else "Values before it was removed"
        lines = [(c.key, escape(shown_value(c.after if c.in_after else c.before)), "")
                 for c in changes]
    else:
        title = "Changes"
        ordered = [c for c in changes if c.changed] + [c for c in changes if not c.changed]
        lines = [(c.key, _change_cell(c.before, c.after, c.in_before, c.in_after, muted),
                  mark if c.changed else "") for c in ordered]
    cells = "".join(
        f"<tr><td width='28%' style='padding:3px 10px 3px 4px; "
        f"{('background:' + back) if back else ''}'>"
        f"{'<b>' if back else ''}{escape(key.replace('_', ' '))}{'</b>' if back else ''}</td>"
        f"<td style='padding:3px 4px; {('background:' + back) if back else ''}'>{value}</td></tr>"
        for key, value, back in lines)
    table = (f"<p style='margin:0 0 4px 0'><b>{title}</b></p>"
             f"<table cellspacing='0' width='100%'>{cells}</table>" if lines else "")
    link = ""
    if row.entity_id is not None:
        link = (f"<p style='margin-top:10px'><a href='{escape(row.entity_kind)}:"
                f"{row.entity_id}'>Every event about {escape(row.entity)}</a></p>")
    digest = (f"<p style='color:{muted}; font-size:small; margin-top:8px'>"
              f"Hash {row.hash[:16]}…</p>")
    return head + table + link + digest


def _change_cell(before: object, after: object, in_before: bool, in_after: bool,
                 muted: str) -> str:
    if not in_before:
        return f"<b>{escape(shown_value(after))}</b> <span style='color:{muted}'>(new)</span>"
    if not in_after:
        return f"<span style='color:{muted}'>{escape(shown_value(before))} (removed)</span>"
    if before == after:
        return f"<span style='color:{muted}'>{escape(shown_value(after))}</span>"
    return (f"<span style='color:{muted}'>{escape(shown_value(before))}</span>"
            f" → <b>{escape(shown_value(after))}</b>")
