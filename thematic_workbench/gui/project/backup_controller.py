"""Automatic backups in the window: one when a project is opened, if it changed since its
newest backup, then one every few minutes of changes, each taken off the GUI thread.

A timer looks once a minute whether changes were saved and ``Preferences.backup_minutes``
have passed since the last backup. File → Back up now takes one at once; File → Restore
from backup opens :class:`RestoreDialog`. The status bar says when a backup was taken or
why it failed, in one line. A team project on a server is backed up by whoever runs the
server, and a project open read-only by the window that writes it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from thematic_workbench.app.backups import BackupOutcome, back_up
from thematic_workbench.app.preferences import load_preferences
from thematic_workbench.core.backups.places import TeamProjectBackupError, refuse_team_project
from thematic_workbench.core.changes import Change
from thematic_workbench.gui.common.workers import Job
from thematic_workbench.gui.project.restore_dialog import RestoreDialog
from thematic_workbench.gui.session import ProjectSession

CHECK_MS = 60_000  # how often the timer looks for changes to back up
OPEN_DELAY_MS = 3_000  # after opening, the window settles before the backup starts


class BackupController(QObject):
    """``message`` carries the one line the status bar shows."""

    message = Signal(str)

    def __init__(self, parent: QWidget, open_project: Callable[[str], object]) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.open_project = open_project
        self.session: ProjectSession | None = None
        self.job: Job | None = None
        self.last_outcome: BackupOutcome | None = None  # for tests
        self.changed_since = False  # changes saved since the last backup began
        self.last_backup = time.monotonic()
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.check)
        # The backup on opening waits a moment: the first seconds belong to the window
        # settling and the user's first clicks, not to a copy competing for the interpreter.
        self.opening = QTimer(self)
        self.opening.setSingleShot(True)
        self.opening.setInterval(OPEN_DELAY_MS)
        self.opening.timeout.connect(self._opened)

    def automatic(self, session: ProjectSession) -> bool:
        """Whether this window backs the project up by itself: a project file it writes."""
        return session.store.path is not None and not session.readonly

    def attach(self, session: ProjectSession) -> None:
        """A project was opened: back it up now if it changed, then follow its changes."""
        self.session = session
        self.changed_since = False
        self.last_backup = time.monotonic()
        if not self.automatic(session):
            return
        session.changed.connect(self._changed)
        self.opening.start()
        self.timer.start()

    def _opened(self) -> None:
        if self.session is not None and self.job is None:  # not if Back up now came first
            self.start(only_if_changed=True)

    @property
    def idle(self) -> bool:
        """No backup waiting to start or under way."""
        return self.job is None and not self.opening.isActive()

    def detach(self) -> None:
        """The project is being closed (a backup under way finishes on its own)."""
        self.timer.stop()
        self.opening.stop()
        if self.session is not None and self.automatic(self.session):
            self.session.changed.disconnect(self._changed)
        self.session = None

    def _changed(self, _change: Change) -> None:
        self.changed_since = True

    def due(self, now: float | None = None) -> bool:
        """Changes were saved and the preferred minutes have passed since the last backup."""
        minutes = load_preferences().backup_minutes
        elapsed = (time.monotonic() if now is None else now) - self.last_backup
        return self.changed_since and self.job is None and elapsed >= minutes * 60

    def check(self) -> None:
        if self.session is not None and self.due():
            self.start(only_if_changed=True)

    def back_up_now(self) -> None:
        """File → Back up now: a backup of the open project, changed or not."""
        if self.session is None:
            self.message.emit("Open a project to back it up.")
            return
        try:
            refuse_team_project(self.session.store.location)
        except TeamProjectBackupError as error:
            QMessageBox.information(self.parent_widget, "Back up now",
                                    str(error)[:1].upper() + str(error)[1:] + ".")
            return
        if self.job is not None:
            self.message.emit("A backup is being taken already.")
            return
        self.start(only_if_changed=False)

    def start(self, only_if_changed: bool) -> None:
        """Take a backup on a worker thread (the copy and its check never block the window)."""
        assert self.session is not None and self.session.store.path is not None
        path = self.session.store.path
        preferences = load_preferences()
        self.changed_since = False  # what is saved from now on goes into the next one
        self.last_backup = time.monotonic()
        job = Job(lambda _control: back_up(path, preferences,
                                           only_if_changed=only_if_changed), self)
        job.finished.connect(self._taken)
        job.failed.connect(self._failed)
        self.job = job
        job.start(QThreadPool.globalInstance())

    def _taken(self, outcome: BackupOutcome) -> None:
        self.job = None
        self.last_outcome = outcome
        if outcome.taken is not None:
            self.message.emit(outcome.message())

    def _failed(self, message: str) -> None:
        self.job = None
        self.changed_since = True  # try again at the next check
        self.message.emit(f"Backup failed: {message}")

    def restore(self) -> None:
        """File → Restore from backup."""
        current = self.session.store.location if self.session is not None else None
        RestoreDialog(load_preferences(), current, self.open_project,
                      self.parent_widget).exec()
