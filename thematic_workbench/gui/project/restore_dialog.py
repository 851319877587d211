"""File → Restore from backup: pick a project and one of its backups, restore it into a new
file, then open it.

Every project with backups is offered, not only the open one: the study whose file was
deleted or damaged is the one a backup is wanted for, and it cannot be opened first. The
restore runs off the GUI thread; asking for the file and offering to open the result go
through small methods (``ask_target``, ``offer_open``) so tests can answer them.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.app.backups import backed_up, folder_backups, restore_record
from thematic_workbench.app.preferences import Preferences
from thematic_workbench.core.backups.listing import BackedUpProject
from thematic_workbench.core.backups.manifest import BackupRecord
from thematic_workbench.core.backups.restoring import RestoredProject
from thematic_workbench.core.wording import plural, sentence
from thematic_workbench.gui.common.workers import Job
from thematic_workbench.gui.project.backups_model import VERIFIED, BackupsModel, local_time

FILTER = "Thematic projects (*.thematic)"


class RestoreDialog(QDialog):
    """The backed-up projects, the chosen one's backups, and the restore button."""

    def __init__(self, preferences: Preferences, current_project: str | None,
                 open_project: Callable[[str], object], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from backup")
        self.preferences = preferences
        self.open_project = open_project
        self.job: Job | None = None
        self.check_job: Job | None = None  # the backups' files hashed again, off the GUI
        self.restored: RestoredProject | None = None  # the last restore, for tests
        self.projects = backed_up(preferences)
        layout = QVBoxLayout(self)
        intro = QLabel("Each backup is a checked copy of the project taken while you "
                       "worked. A backup is restored into a new project file; the project "
                       "as it is now stays untouched.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.project_box = QComboBox()
        self.project_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.project_box.setMinimumContentsLength(40)
        for project in self.projects:
            self.project_box.addItem(_project_label(project))
            self.project_box.setItemData(self.project_box.count() - 1, project.project,
                                         Qt.ItemDataRole.ToolTipRole)
        form.addRow("&Project:", self.project_box)
        self.folder_label = QLabel()
        self.folder_label.setWordWrap(True)
        form.addRow("Backups in:", self.folder_label)
        layout.addLayout(form)
        self.model = BackupsModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(VERIFIED, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        layout.addWidget(self.detail)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = QPushButton("&Restore into a new file…")
        self.restore_button.setDefault(True)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self.restore_selected)
        layout.addWidget(buttons)
        self.project_box.currentIndexChanged.connect(self._show_project)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_detail())
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        chosen = next((row for row, project in enumerate(self.projects)
                       if current_project and _same_file(project.project, current_project)), 0)
        self.resize(780, 440)
        if self.projects:
            self.project_box.setCurrentIndex(chosen)
            self._show_project(chosen)
        else:
            self.project_box.setEnabled(False)
            self.folder_label.setText(str(preferences.backups_path()))
            self.detail.setText("No backups yet. The window backs a project up when it is "
                                "opened and every few minutes while you work.")
            self._show_detail()

    # -- showing -------------------------------------------------------------------------
    def _show_project(self, row: int) -> None:
        if not 0 <= row < len(self.projects):
            return
        project = self.projects[row]
        self.folder_label.setText(str(project.folder))
        self.model.set_backups(folder_backups(project, rehash=False))  # the manifests: quick
        if self.model.rowCount():
            self.table.selectRow(0)
        self._show_detail()
        # Reading every backup again can take seconds on a large study: done on a worker,
        # and the table shows what it finds (a damaged file shows as not verified).
        check = Job(lambda _control: folder_backups(project), self)
        check.finished.connect(lambda records: self._checked(row, check, records))
        self.check_job = check
        check.start(QThreadPool.globalInstance())

    def _checked(self, row: int, job: Job, records: list[BackupRecord]) -> None:
        if job is not self.check_job or row != self.project_box.currentIndex():
            return  # another project was chosen meanwhile
        self.check_job = None
        chosen = self.selected()
        self.model.set_backups(records)
        ids = [record.id for record in records]
        if chosen is not None and chosen.id in ids:
            self.table.selectRow(ids.index(chosen.id))
        elif records:
            self.table.selectRow(0)
        self._show_detail()

    def selected(self) -> BackupRecord | None:
        return self.model.backup_at(self.table.currentIndex().row())

    def _show_detail(self) -> None:
        record = self.selected()
        self.restore_button.setEnabled(record is not None and self.job is None)
        if record is None:
            return
        counts = record.counts
        holds = (f"{plural(counts.documents, 'transcript')}, {plural(counts.codes, 'code')}, "
                 f"{plural(counts.themes, 'theme')}, {plural(counts.codings, 'coding')}")
        if record.verified:
            self.detail.setText(f"Taken {local_time(record)}: {holds}. Verified.")
        else:
            self.detail.setText(f"Taken {local_time(record)}: {holds}. <b>Not verified</b>: "
                                f"{html.escape(record.reason)}.")

    # -- restoring -----------------------------------------------------------------------
    def ask_target(self, record: BackupRecord) -> Path | None:
        """The new file to restore into (a name that does not exist yet is suggested)."""
        project = self.projects[self.project_box.currentIndex()]
        original = Path(project.project)
        start = _free_name(original.with_name(f"{original.stem} restored {record.id}"
                                              f"{original.suffix or '.thematic'}"))
        name, _chosen = QFileDialog.getSaveFileName(self, "Restore into a new project file",
                                                    str(start), FILTER)
        if not name:
            return None
        path = Path(name)
        return path if path.suffix else path.with_suffix(".thematic")

    def offer_open(self, restored: RestoredProject) -> bool:
        """Say what was restored and ask whether to open it now."""
        counts = restored.check.counts
        trail = ("Its audit trail verifies." if restored.check.verified else
                 f"Warning: {restored.check.problem}.")
        if restored.later_work:
            trail += f" Note: {sentence(restored.later_work[:1].upper() + restored.later_work[1:])}"
        answer = QMessageBox.question(
            self, "Backup restored",
            f"The backup taken {local_time(restored.backup)} was restored into "
            f"{restored.path}: {plural(counts.documents, 'transcript')}, "
            f"{plural(counts.codings, 'coding')}. {trail}\n\nOpen it now?",
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Close,
            QMessageBox.StandardButton.Open)
        return answer == QMessageBox.StandardButton.Open

    def restore_selected(self) -> None:
        record = self.selected()
        if record is None or self.job is not None:
            return
        target = self.ask_target(record)
        if target is None:
            return
        self.job = Job(lambda _control: restore_record(record, target), self)
        self.job.finished.connect(self._restored)
        self.job.failed.connect(self._failed)
        self.restore_button.setEnabled(False)
        self.detail.setText(f"Restoring into {target}…")
        self.job.start(QThreadPool.globalInstance())

    def _restored(self, restored: RestoredProject) -> None:
        self.job = None
        self.restored = restored
        self._show_detail()
        if self.offer_open(restored):
            self.accept()
            self.open_project(str(restored.path))

    def _failed(self, message: str) -> None:
        self.job = None
        self._show_detail()
        QMessageBox.warning(self, "Cannot restore the backup", message)


def _project_label(project: BackedUpProject) -> str:
    gone = "" if Path(project.project).exists() else " (file missing)"
    return f"{project.title}: {Path(project.project).name}{gone}"


def _same_file(a: str, b: str) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return a == b


def _free_name(path: Path) -> Path:
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem} ({number}){path.suffix}")
    return candidate
