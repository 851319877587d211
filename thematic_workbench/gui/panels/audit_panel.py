"""The audit trail viewer: who changed what, when and in which phase, and is it intact.

A filter bar (time, coder, phase, action, entity, text), the events newest first, and the
selected event's before/after with the changed fields marked. "Verify chain" recomputes the
hash chain on a worker thread; "Export CSV…" writes the events the filter shows.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QThreadPool, QUrl, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.audit import VerifyResult, verify_chain
from thematic_workbench.core.audit_queries import (
    AuditFilter,
    AuditRow,
    describe_event,
    field_changes,
    shown_value,
)
from thematic_workbench.core.wording import plural
from thematic_workbench.gui.models.audit_model import AuditModel, local_time, run_job
from thematic_workbench.gui.panels.audit_filter_bar import AuditFilterBar
from thematic_workbench.gui.panels.columns import fit_to_texts, fix_widths, row_table
from thematic_workbench.gui.session import ProjectSession
from thematic_workbench.gui.workers import Job, JobControl
from thematic_workbench.io.audit_csv import export_audit_csv

PROMPT = "Select an event to see what it changed."
GOOD, BAD = "#1B7A3E", "#B42318"
AMBER = QColor("#F5C451")


def verify_text(result: VerifyResult) -> str:
    """What the Verify button reports, in the words a researcher can pass on."""
    if result.first_bad_seq is not None:
        return f"Chain broken at event {result.first_bad_seq}: {result.problem}"
    if result.unprotected:
        return (f"Chain intact: {plural(result.events, 'event')} verified, but NOT "
                "protected: the database triggers that keep it append-only were removed")
    return f"Chain intact: {plural(result.events, 'event')} verified"


class AuditPanel(QWidget):
    """Filter bar, events table, details of the selected event, verify and export."""

    verified = Signal(object)  # the VerifyResult
    exported = Signal(str, int)  # the file written, how many events
    export_failed = Signal(str)

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = AuditModel(session, self)
        self._jobs: set[Job] = set()
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
        self.verify_label = QLabel(self)  # the last verification or export, full width
        self.verify_label.setWordWrap(True)
        self.verify_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verify_label.setContentsMargins(2, 2, 2, 0)
        self.verify_label.hide()
        self.verify_button = QPushButton("Verify chain", self)
        self.verify_button.setToolTip("Recompute the hash chain of every event to show that "
                                      "none was changed, removed or inserted")
        self.export_button = QPushButton("Export CSV…", self)
        self.export_button.setToolTip("Save the events the filter shows, oldest first, as a "
                                      "CSV file (opens in Excel)")
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.verify_button)
        bottom.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filters)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.verify_label)
        layout.addLayout(bottom)
        self._show_details(None)

        self.model.loaded.connect(self._after_load)
        self.model.rowsInserted.connect(self._update_count)
        self.model.choices_changed.connect(self.filters.set_choices)
        self.model.failed.connect(self._read_failed)
        # Bound methods, not lambdas holding self: see run_job.
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.verify_button.clicked.connect(self.verify)
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
            base.getRgbF()[:3], AMBER.getRgbF()[:3], strict=True))).name()
        self.details.setHtml(details_html(row, muted, mark))

    def _on_link(self, url: QUrl) -> None:
        kind, _colon, entity_id = url.toString().partition(":")
        if entity_id.isdigit():
            self.show_entity_history(kind, int(entity_id))

    # -- verify and export ------------------------------------------------------------------
    def verify(self) -> None:
        """Recompute the hash chain on a worker thread and say what was found."""
        self._set_verdict("Verifying the hash chain…", None)
        store = self.session.store

        def work(_control: JobControl) -> VerifyResult:
            with store.read() as db:
                return verify_chain(db)

        self._start(self.verify_button, work, self._verified, self._verify_failed)

    def _verify_failed(self, message: str) -> None:
        self.verify_button.setEnabled(True)
        self._set_verdict(f"Could not verify the chain: {message}", BAD)

    def _verified(self, result: VerifyResult) -> None:
        self.verify_button.setEnabled(True)
        self._set_verdict(verify_text(result), GOOD if result.intact else BAD)
        if result.first_bad_seq is not None:
            self.select_event(result.first_bad_seq)
        self.verified.emit(result)

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
                return export_audit_csv(db, path, audit_filter)

        self._start(self.export_button, work, self._exported, self._export_failed, path,
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

    def _set_verdict(self, text: str, colour: str | None) -> None:
        self.verify_label.setStyleSheet(f"color:{colour}; font-weight:600" if colour else "")
        self.verify_label.setText(text)
        self.verify_label.setToolTip("")
        self.verify_label.show()

    def _start(self, button: QPushButton, work: Callable[[JobControl], Any],
               done: Callable[..., None], failed: Callable[..., None], *args: Any) -> None:
        """Run ``work`` on a worker thread with ``button`` disabled until it ends."""
        button.setEnabled(False)
        # A read: it need not queue behind writes on the database thread.
        run_job(self, self._jobs, work, QThreadPool.globalInstance(), done, failed, *args)

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
