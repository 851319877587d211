"""Backups in the window: one on opening a project, more during long work, File → Back up
now, and File → Restore from backup into a new file that then opens."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from tests.gui.window_helpers import open_window
from thematic_workbench.app.backups import project_backups
from thematic_workbench.app.preferences import Preferences, load_preferences, save_preferences
from thematic_workbench.core.backups.checking import count_contents
from thematic_workbench.core.services import codes
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.project.restore_dialog import RestoreDialog
from thematic_workbench.gui.window.main_window import MainWindow

WAIT_MS = 30_000


def backup_done(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.backups.idle, timeout=WAIT_MS)


def codings_of(path: Path) -> int:
    with ProjectStore.open(path, readonly=True) as store, store.read() as session:
        return count_contents(session).codings


def test_opening_a_project_backs_it_up(qtbot: QtBot, window: MainWindow,
                                       project: Path) -> None:
    # The window settles first: the backup starts a few seconds after opening.
    assert window.backups.opening.isActive() and not project_backups(project)
    backup_done(qtbot, window)
    (backup,) = project_backups(project)
    assert backup.verified and backup.path.is_file()
    assert backup.path.parent.parent == load_preferences().backups_path()
    assert backup.counts.codings == codings_of(project) > 0
    assert window.statusBar().currentMessage().startswith("Backup taken at")


def test_reopening_an_unchanged_project_takes_no_new_backup(
        qtbot: QtBot, window: MainWindow, project: Path) -> None:
    backup_done(qtbot, window)
    window.close_project()
    assert window.open_project(project)
    backup_done(qtbot, window)
    outcome = window.backups.last_outcome
    assert outcome is not None and outcome.taken is None
    assert len(project_backups(project)) == 1


def test_long_work_is_backed_up_after_the_preferred_minutes(
        qtbot: QtBot, window: MainWindow, project: Path) -> None:
    save_preferences(Preferences(backup_minutes=5))
    backup_done(qtbot, window)
    assert window.session is not None
    window.session.run(codes.create_code, "Backed up later")
    controller = window.backups
    assert controller.timer.isActive() and controller.changed_since
    assert not controller.due()  # saved, but not five minutes ago
    controller.last_backup -= 5 * 60
    assert controller.due()
    controller.check()
    backup_done(qtbot, window)
    newest, first = project_backups(project)
    assert newest.counts.codes == first.counts.codes + 1
    assert not controller.due()  # nothing changed since


def test_back_up_now_takes_one_even_unchanged(qtbot: QtBot, window: MainWindow,
                                              project: Path) -> None:
    backup_done(qtbot, window)
    window.actions_by_key["backup_now"].trigger()
    backup_done(qtbot, window)
    assert len(project_backups(project)) == 2
    assert "verified" in window.statusBar().currentMessage()


def answer_save_dialog(monkeypatch: pytest.MonkeyPatch, target: Path) -> list[str]:
    asked: list[str] = []

    def save_name(_parent: QWidget, _title: str, start: str, _filters: str) -> tuple[str, str]:
        asked.append(start)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    return asked


def test_restore_dialog_lists_and_restores_into_a_new_file(
        qtbot: QtBot, window: MainWindow, project: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, qtmodeltester: object,
        screenshot: Callable[[QWidget, str], Path | None]) -> None:
    backup_done(qtbot, window)
    (backup,) = project_backups(project)
    shown: list[RestoreDialog] = []
    monkeypatch.setattr(RestoreDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    window.actions_by_key["restore_backup"].trigger()
    (dialog,) = shown
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)  # type: ignore[attr-defined]
    assert dialog.project_box.currentText() == \
        "Working alliance in mandated therapy (demo): study.thematic"
    assert dialog.model.rowCount() == 1
    row = [dialog.model.index(0, column).data() for column in range(6)]
    counts = backup.counts
    assert row[1:] == [str(counts.documents), str(counts.codes), str(counts.themes),
                       f"{counts.codings:,}", "Yes"]
    dialog.show()
    screenshot(dialog, "restore_dialog")

    target = tmp_path / "restored.thematic"
    asked = answer_save_dialog(monkeypatch, target)
    monkeypatch.setattr(RestoreDialog, "offer_open", lambda _dialog, _restored: True)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.restored is not None, timeout=WAIT_MS)
    assert Path(asked[0]).name == f"study restored {backup.id}.thematic"
    assert target.is_file() and codings_of(target) == codings_of(project)
    assert window.session is not None and window.session.store.path == target


def test_a_deleted_project_is_offered_and_restored(
        qtbot: QtBot, settings: QSettings, project: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = open_window(qtbot, settings, project, "alice")
    backup_done(qtbot, window)
    expected = codings_of(project)
    window.close_project()
    project.unlink()
    dialog = RestoreDialog(load_preferences(), None, window.open_project, window)
    qtbot.addWidget(dialog)
    assert dialog.project_box.currentText().endswith("study.thematic (file missing)")
    existing = tmp_path / "taken.thematic"
    existing.write_bytes(b"another file")
    answer_save_dialog(monkeypatch, existing)
    warnings: list[str] = []
    monkeypatch.setattr("thematic_workbench.gui.project.restore_dialog.QMessageBox.warning",
                        lambda _parent, _title, text: warnings.append(text))
    dialog.restore_selected()
    qtbot.waitUntil(lambda: bool(warnings), timeout=WAIT_MS)
    assert "taken.thematic: already exists" in warnings[0]
    assert existing.read_bytes() == b"another file"

    answer_save_dialog(monkeypatch, project)  # back where it was
    monkeypatch.setattr(RestoreDialog, "offer_open", lambda _dialog, _restored: False)
    dialog.restore_selected()
    qtbot.waitUntil(lambda: dialog.restored is not None, timeout=WAIT_MS)
    assert codings_of(project) == expected
    assert window.session is None  # not opened: the user said no


def test_the_dialog_checks_the_files_in_the_background(
        qtbot: QtBot, window: MainWindow, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The list comes from the manifests at once; a file damaged since shows as not
    verified when the worker has read it again."""
    backup_done(qtbot, window)
    (backup,) = project_backups(project)
    with open(backup.path, "r+b") as stream:  # a bit flipped on the disk
        stream.seek(200)
        byte = stream.read(1)
        stream.seek(200)
        stream.write(bytes([byte[0] ^ 0xFF]))
    shown: list[RestoreDialog] = []
    monkeypatch.setattr(RestoreDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    window.actions_by_key["restore_backup"].trigger()
    (dialog,) = shown
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 1
    qtbot.waitUntil(lambda: dialog.check_job is None, timeout=WAIT_MS)
    assert dialog.model.index(0, 5).data() != "Yes"
    assert dialog.selected() is not None and not dialog.selected().verified
