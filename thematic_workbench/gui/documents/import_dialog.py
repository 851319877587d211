"""The import dialog: pick transcripts, label their participants, import them in the background.

Each file is read and stored on the database worker thread, in its own transaction, so one
bad file fails alone and the window stays responsive. Every stored file is announced on
``session.changed`` at once, so panels fill in while the rest are still being read.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.app.importing import (
    SUPPORTED_EXTENSIONS,
    FileOutcome,
    ImportSummary,
    import_files,
    propose_participant,
    transcript_files,
)
from thematic_workbench.core.text.textlayout import DEFAULT_WRAP, MAX_WRAP, MIN_WRAP
from thematic_workbench.gui.common.workers import Job
from thematic_workbench.gui.session import ProjectSession

Index = QModelIndex | QPersistentModelIndex


_STATUS_COLOURS = {"imported": QColor("#2e6b34"), "skipped": QColor("#6b6b6b"),
                   "failed": QColor("#a2322a")}


@dataclass
class _Row:
    path: Path
    participant: str
    kind: str = ""  # "", "working", or a FileOutcome kind
    status: str = "Ready"


class ImportFilesModel(QAbstractTableModel):
    """The files to import: name, an editable participant label, and what became of them."""

    HEADERS = ("File", "Participant", "Status")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[_Row] = []
        self.locked = False  # no edits while an import runs

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        horizontal = orientation == Qt.Orientation.Horizontal and 0 <= section < 3
        return self.HEADERS[section] if horizontal and role == Qt.ItemDataRole.DisplayRole else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return (row.path.name, row.participant, row.status)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return (str(row.path), "The participant this transcript belongs to "
                    "(leave blank for none)", row.status)[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == 2:
            return _STATUS_COLOURS.get(row.kind)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == 1 and not self.locked:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not (index.isValid() and index.column() == 1 and role == Qt.ItemDataRole.EditRole):
            return False
        self.rows[index.row()].participant = " ".join(str(value or "").split())
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])
        return True

    def add(self, paths: list[Path]) -> int:
        """Append files not listed yet; returns how many were new."""
        known = {os.path.realpath(row.path) for row in self.rows}
        fresh = []
        for path in paths:
            real = os.path.realpath(path)
            if real not in known:
                known.add(real)
                fresh.append(_Row(path, propose_participant(path)))
        if fresh:
            first = len(self.rows)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            self.rows += fresh
            self.endInsertRows()
        return len(fresh)

    def remove(self, row_numbers: list[int]) -> None:
        for number in sorted(set(row_numbers), reverse=True):
            self.beginRemoveRows(QModelIndex(), number, number)
            del self.rows[number]
            self.endRemoveRows()

    def set_status(self, number: int, kind: str, status: str) -> None:
        self.rows[number].kind, self.rows[number].status = kind, status
        self.dataChanged.emit(self.index(number, 2), self.index(number, 2))

    def pending(self) -> list[int]:
        """Rows still to import: never tried, failed, or left out by a cancel."""
        return [n for n, row in enumerate(self.rows) if row.kind in ("", "failed")]


class ImportDialog(QDialog):
    """Choose transcripts and import them; ``import_finished(summary)`` ends each import."""

    import_finished = Signal(object)

    def __init__(self, session: ProjectSession, parent: QWidget | None = None,
                 initial_files: list[str | Path] | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._job: Job | None = None
        self._job_rows: list[int] = []
        self._close_when_done = False
        self.setWindowTitle("Import transcripts")
        self.resize(760, 520)
        self.model = ImportFilesModel(self)
        self._build()
        self.model.rowsInserted.connect(self._update_buttons)
        self.model.rowsRemoved.connect(self._update_buttons)
        if initial_files:
            self.add_paths([Path(p) for p in initial_files])
        self._update_buttons()

    def _build(self) -> None:
        self.add_files_button = _button("Add files…", self._choose_files)
        self.add_folder_button = _button("Add folder…", self._choose_folder)
        self.remove_button = _button("Remove", self._remove_selected)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 280)
        header.resizeSection(1, 110)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.wrap_spin = QSpinBox()
        self.wrap_spin.setRange(MIN_WRAP, MAX_WRAP)
        self.wrap_spin.setValue(DEFAULT_WRAP)
        self.wrap_spin.setSuffix(" characters")
        self.wrap_spin.setToolTip("Line numbers are fixed at import: long paragraphs are "
                                  "numbered as if wrapped at this width.")
        self.force_check = QCheckBox("Import again if already imported")
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.hide()  # shown while importing; the summary takes its place after
        self.progress_label = QLabel("")
        self.summary_view = QTextBrowser()
        self.summary_view.hide()
        self.import_button = _button("Import", self.start_import)
        self.import_button.setDefault(True)
        self.close_button = _button("Close", self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(_row(QLabel("Transcripts to import; set each one's participant "
                                     "label."), 1, self.add_files_button,
                              self.add_folder_button, self.remove_button))
        layout.addWidget(self.table, 3)
        layout.addLayout(_row(QLabel("Wrap long paragraphs at"), self.wrap_spin, 1,
                              self.force_check))
        layout.addWidget(self.progress)
        layout.addWidget(self.summary_view, 2)
        layout.addLayout(_row(self.progress_label, 1, self.import_button, self.close_button))
        if self._session.readonly:
            self.progress_label.setText("This project is open read-only: nothing can be "
                                        "imported.")

    # -- choosing files ----------------------------------------------------------------------
    def add_paths(self, paths: list[Path]) -> int:
        """Add files (supported types only) and the transcripts in folders; returns how many."""
        return self.model.add(transcript_files(paths))

    def _choose_files(self) -> None:
        patterns = " ".join(f"*{ext}" for ext in SUPPORTED_EXTENSIONS)
        names, _filter = QFileDialog.getOpenFileNames(
            self, "Add transcripts", "", f"Transcripts ({patterns})")
        self.add_paths([Path(name) for name in names])

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add the transcripts in a folder")
        if folder and not self.add_paths([Path(folder)]):
            self.progress_label.setText(f"No new transcripts in {Path(folder).name}.")

    def _remove_selected(self) -> None:
        self.model.remove([index.row() for index in self.table.selectionModel().selectedRows()])

    def _update_buttons(self) -> None:
        busy = self._job is not None
        self.import_button.setEnabled(not busy and not self._session.readonly
                                      and bool(self.model.pending()))
        for widget in (self.add_files_button, self.add_folder_button, self.wrap_spin,
                       self.force_check):
            widget.setEnabled(not busy)
        self.remove_button.setEnabled(
            not busy and self.table.selectionModel().hasSelection())
        self.close_button.setText("Cancel" if busy else "Close")

    # -- importing ---------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._job is not None

    def start_import(self) -> bool:
        """Import the files not imported yet on the worker thread; False if nothing to do."""
        rows = self.model.pending()
        if self._job is not None or not rows or self._session.readonly:
            return False
        self.table.setFocus()  # commits a participant label still being edited
        files = [(n, self.model.rows[n].path, self.model.rows[n].participant) for n in rows]
        for number in rows:
            self.model.set_status(number, "", "Waiting")
        self.model.locked = True
        self._job_rows = rows
        store, coder = self._session.store, self._session.coder
        wrap, force = self.wrap_spin.value(), self.force_check.isChecked()
        self._job = Job(lambda control: import_files(store, coder, files, wrap, force, control),
                        self)
        self._job.progress.connect(self._on_progress)
        self._job.published.connect(self._on_file_done)
        self._job.finished.connect(self._on_finished)
        self._job.failed.connect(lambda message: self._end(ImportSummary(), message))
        self.progress.setRange(0, len(files))
        self.progress.setValue(0)
        self.progress.show()
        self.summary_view.hide()
        self._update_buttons()
        self._job.start()
        return True

    def cancel_import(self) -> None:
        """Stop after the file being imported now."""
        if self._job is not None:
            self._job.cancel()
            self.progress_label.setText("Stopping after the current file…")

    def _on_progress(self, done: int, total: int, label: str) -> None:
        self.progress.setValue(done)
        if label and done < len(self._job_rows):
            self.model.set_status(self._job_rows[done], "working", "Importing…")
            if not (self._job and self._job.cancel_requested):
                self.progress_label.setText(f"Importing {label} ({done + 1} of {total})…")

    def _on_file_done(self, outcome: FileOutcome) -> None:
        text = {"imported": "", "skipped": "Skipped: ", "failed": "Failed: "}[outcome.kind]
        text += outcome.message
        self.model.set_status(outcome.row, outcome.kind, text[:1].upper() + text[1:])
        if outcome.change is not None:
            self._session.announce(outcome.change, "import")

    def _on_finished(self, summary: ImportSummary) -> None:
        for number, row in enumerate(self.model.rows):
            if row.status == "Waiting":
                self.model.set_status(number, "", "Not imported (cancelled)")
        self._end(summary)

    def _end(self, summary: ImportSummary, error: str = "") -> None:
        self._job = None
        self.model.locked = False
        self.progress.hide()
        self.progress_label.setText(error or f"Done: {summary.headline()}.")
        self.summary_view.setHtml(summary_html(summary))
        self.summary_view.show()
        self._update_buttons()
        self.import_finished.emit(summary)
        if self._close_when_done:
            super().reject()

    def reject(self) -> None:
        """Close; while importing, cancel first and close once the current file is done."""
        if self._job is not None:
            self._close_when_done = True
            self.cancel_import()
            return
        super().reject()


def _button(text: str, slot: Callable[[], object]) -> QPushButton:
    button = QPushButton(text)
    button.clicked.connect(slot)
    return button


def _row(*items: QWidget | int) -> QHBoxLayout:
    """A row of widgets; a number is a stretch of that factor."""
    row = QHBoxLayout()
    for item in items:
        if isinstance(item, int):
            row.addStretch(item)
        else:
            row.addWidget(item)
    return row


def summary_html(summary: ImportSummary) -> str:
    """The end-of-import report: what was imported, skipped and failed, and why."""
    sections = []
    for kind, title in (("failed", "Failed"), ("skipped", "Skipped (already in the project)"),
                        ("imported", "Imported")):
        outcomes = summary.of(kind)
        if outcomes:
            items = "".join(f"<li><b>{html.escape(o.file)}</b> — {html.escape(o.message)}</li>"
                            for o in outcomes)
            sections.append(f"<p style='margin-bottom:2px'>{title} ({len(outcomes)})</p>"
                            f"<ul style='margin-top:0'>{items}</ul>")
    if summary.not_started:
        names = ", ".join(html.escape(name) for name in summary.not_started)
        sections.append(f"<p>Not imported because the import was cancelled: {names}</p>")
    return "".join(sections) or "<p>Nothing was imported.</p>"
